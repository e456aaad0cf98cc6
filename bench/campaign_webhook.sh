#!/bin/sh
# Sends a signed test donation to a campaign's webhook, to watch the bar move
# (open the demo page at http://127.0.0.1:8080/ first).
#
#   SECRET=$(rostra campaign show --site demo --slug southfront --secret)
#   bench/campaign_webhook.sh "$SECRET" 2500            # 25.00 $ to the demo campaign
#   KIND=stripe bench/campaign_webhook.sh whsec_… 2500  # as Stripe would (payment_intent.succeeded)
#   KIND=refund bench/campaign_webhook.sh "$SECRET" 500 # a refund through the generic webhook
#
# Environment: ROSTRA_URL (default http://127.0.0.1:8080), SITE (demo),
# CAMPAIGN (southfront), CURRENCY (USD), KIND (generic | refund | stripe).
# The signature is Stripe's scheme: t=UNIX_TIME,v1=HEX(HMAC-SHA256(secret,
# "t.body")), within 5 minutes of the server's clock.
set -eu
SECRET=${1:?usage: $0 SECRET [AMOUNT_IN_CENTS]}
AMOUNT=${2:-2500}
BASE=${ROSTRA_URL:-http://127.0.0.1:8080}
SITE=${SITE:-demo}
CAMPAIGN=${CAMPAIGN:-southfront}
CURRENCY=${CURRENCY:-USD}
KIND=${KIND:-generic}
T=$(date +%s)
ID="test-$T-$$"
case "$KIND" in
stripe)
    lower=$(printf '%s' "$CURRENCY" | tr 'A-Z' 'a-z')
    BODY='{"id":"evt_'$ID'","object":"event","type":"payment_intent.succeeded","created":'$T',"data":{"object":{"id":"pi_'$ID'","object":"payment_intent","amount_received":'$AMOUNT',"currency":"'$lower'"}}}'
    HEADER=Stripe-Signature
    ENDPOINT=stripe
    ;;
generic | refund)
    TYPE=donation
    [ "$KIND" = refund ] && TYPE=refund
    BODY='{"id":"'$ID'","type":"'$TYPE'","amount":'$AMOUNT',"currency":"'$CURRENCY'","created":'$T'}'
    HEADER=X-Rostra-Signature
    ENDPOINT=generic
    ;;
*)
    echo "KIND is generic, refund or stripe" >&2
    exit 2
    ;;
esac
SIG=$(printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
curl -sS -X POST "$BASE/api/v1/sites/$SITE/campaigns/$CAMPAIGN/webhooks/$ENDPOINT" \
    -H 'content-type: application/json' -H "$HEADER: t=$T,v1=$SIG" --data-binary "$BODY"
echo
