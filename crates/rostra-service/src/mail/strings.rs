//! The words of messages, in every language the widget speaks. `{site}`,
//! `{title}` and `{name}` are filled in (and escaped by the templates).

/// One language's words.
#[derive(Debug)]
pub struct MailStrings {
    /// BCP 47 tag.
    pub tag: &'static str,
    /// Right to left.
    pub rtl: bool,
    /// Subject of the confirmation request.
    pub confirm_subject: &'static str,
    /// Its text.
    pub confirm_intro: &'static str,
    /// Its button.
    pub confirm_action: &'static str,
    /// Subject for a new comment.
    pub comment_subject: &'static str,
    /// Subject for a reply to the reader.
    pub reply_subject: &'static str,
    /// "{name} wrote".
    pub wrote: &'static str,
    /// The link to a comment.
    pub view: &'static str,
    /// Subject of a reader's digest.
    pub digest_subject: &'static str,
    /// Its first line.
    pub digest_intro: &'static str,
    /// Subject for a held comment.
    pub held_subject: &'static str,
    /// Its first line.
    pub held_intro: &'static str,
    /// Subject of a moderator's digest.
    pub held_digest_subject: &'static str,
    /// The link to the queue.
    pub open_queue: &'static str,
    /// The unsubscribe link.
    pub unsubscribe: &'static str,
    /// The manage link.
    pub manage: &'static str,
    /// Why the reader gets this.
    pub because: &'static str,
    /// The page after confirming.
    pub page_confirmed: &'static str,
    /// The page after unsubscribing.
    pub page_unsubscribed: &'static str,
    /// The unsubscribe page's question.
    pub page_unsubscribe_ask: &'static str,
    /// The manage page's heading.
    pub page_subscriptions: &'static str,
    /// No subscriptions left.
    pub page_none: &'static str,
    /// Remove one.
    pub remove: &'static str,
    /// Remove all.
    pub remove_all: &'static str,
    /// Every comment / replies / at once / daily.
    pub kinds: [&'static str; 4],
}

const EN: MailStrings = MailStrings {
    tag: "en",
    rtl: false,
    confirm_subject: "Confirm your subscription to comments on {site}",
    confirm_intro: "Someone, we hope you, asked to be told of new comments on “{title}”. Confirm with the link below. If it was not you, ignore this message: nothing more will be sent.",
    confirm_action: "Confirm my subscription",
    comment_subject: "New comment on “{title}”",
    reply_subject: "New reply to your comment on “{title}”",
    wrote: "{name} wrote:",
    view: "Read it on the page",
    digest_subject: "New comments on {site}",
    digest_intro: "New comments since the last digest:",
    held_subject: "A comment is waiting for review on {site}",
    held_intro: "This comment was held for a moderator:",
    held_digest_subject: "Comments waiting for review on {site}",
    open_queue: "Open the moderation queue",
    unsubscribe: "Unsubscribe",
    manage: "Manage your subscriptions",
    because: "You get this because you subscribed to comments on {site}.",
    page_confirmed: "Your address is confirmed: you will hear of new comments.",
    page_unsubscribed: "You are unsubscribed.",
    page_unsubscribe_ask: "Stop these messages?",
    page_subscriptions: "Your subscriptions on {site}",
    page_none: "You have no subscriptions left here.",
    remove: "Unsubscribe",
    remove_all: "Unsubscribe from everything",
    kinds: ["every new comment", "replies to my comments", "at once", "daily digest"],
};

const DE: MailStrings = MailStrings {
    tag: "de",
    rtl: false,
    confirm_subject: "Bestätigen Sie Ihr Abonnement der Kommentare auf {site}",
    confirm_intro: "Jemand, hoffentlich Sie, möchte über neue Kommentare zu „{title}“ benachrichtigt werden. Bestätigen Sie mit dem Link unten. Waren Sie es nicht, ignorieren Sie diese Nachricht: Es kommt nichts weiter.",
    confirm_action: "Abonnement bestätigen",
    comment_subject: "Neuer Kommentar zu „{title}“",
    reply_subject: "Neue Antwort auf Ihren Kommentar zu „{title}“",
    wrote: "{name} schrieb:",
    view: "Auf der Seite lesen",
    digest_subject: "Neue Kommentare auf {site}",
    digest_intro: "Neue Kommentare seit der letzten Zusammenfassung:",
    held_subject: "Ein Kommentar wartet auf Prüfung auf {site}",
    held_intro: "Dieser Kommentar wurde für die Moderation zurückgehalten:",
    held_digest_subject: "Kommentare warten auf Prüfung auf {site}",
    open_queue: "Moderationswarteschlange öffnen",
    unsubscribe: "Abbestellen",
    manage: "Abonnements verwalten",
    because: "Sie erhalten diese Nachricht, weil Sie Kommentare auf {site} abonniert haben.",
    page_confirmed: "Ihre Adresse ist bestätigt: Sie werden über neue Kommentare benachrichtigt.",
    page_unsubscribed: "Sie sind abgemeldet.",
    page_unsubscribe_ask: "Diese Nachrichten abbestellen?",
    page_subscriptions: "Ihre Abonnements auf {site}",
    page_none: "Sie haben hier keine Abonnements mehr.",
    remove: "Abbestellen",
    remove_all: "Alles abbestellen",
    kinds: ["jeder neue Kommentar", "Antworten auf meine Kommentare", "sofort", "tägliche Zusammenfassung"],
};

const FR: MailStrings = MailStrings {
    tag: "fr",
    rtl: false,
    confirm_subject: "Confirmez votre abonnement aux commentaires de {site}",
    confirm_intro: "Quelqu’un, vous sans doute, a demandé à être averti des nouveaux commentaires sur « {title} ». Confirmez avec le lien ci-dessous. Si ce n’était pas vous, ignorez ce message : rien d’autre ne sera envoyé.",
    confirm_action: "Confirmer mon abonnement",
    comment_subject: "Nouveau commentaire sur « {title} »",
    reply_subject: "Nouvelle réponse à votre commentaire sur « {title} »",
    wrote: "{name} a écrit :",
    view: "Le lire sur la page",
    digest_subject: "Nouveaux commentaires sur {site}",
    digest_intro: "Les nouveaux commentaires depuis le dernier résumé :",
    held_subject: "Un commentaire attend la modération sur {site}",
    held_intro: "Ce commentaire a été retenu pour un modérateur :",
    held_digest_subject: "Commentaires en attente de modération sur {site}",
    open_queue: "Ouvrir la file de modération",
    unsubscribe: "Se désabonner",
    manage: "Gérer vos abonnements",
    because: "Vous recevez ce message parce que vous êtes abonné aux commentaires de {site}.",
    page_confirmed: "Votre adresse est confirmée : vous serez averti des nouveaux commentaires.",
    page_unsubscribed: "Vous êtes désabonné.",
    page_unsubscribe_ask: "Ne plus recevoir ces messages ?",
    page_subscriptions: "Vos abonnements sur {site}",
    page_none: "Vous n’avez plus d’abonnement ici.",
    remove: "Se désabonner",
    remove_all: "Se désabonner de tout",
    kinds: ["chaque nouveau commentaire", "réponses à mes commentaires", "tout de suite", "résumé quotidien"],
};

const ES: MailStrings = MailStrings {
    tag: "es",
    rtl: false,
    confirm_subject: "Confirme su suscripción a los comentarios de {site}",
    confirm_intro: "Alguien, esperamos que usted, pidió recibir avisos de nuevos comentarios en «{title}». Confirme con el enlace de abajo. Si no fue usted, ignore este mensaje: no se enviará nada más.",
    confirm_action: "Confirmar mi suscripción",
    comment_subject: "Nuevo comentario en «{title}»",
    reply_subject: "Nueva respuesta a su comentario en «{title}»",
    wrote: "{name} escribió:",
    view: "Leerlo en la página",
    digest_subject: "Nuevos comentarios en {site}",
    digest_intro: "Nuevos comentarios desde el último resumen:",
    held_subject: "Un comentario espera revisión en {site}",
    held_intro: "Este comentario quedó retenido para un moderador:",
    held_digest_subject: "Comentarios que esperan revisión en {site}",
    open_queue: "Abrir la cola de moderación",
    unsubscribe: "Darse de baja",
    manage: "Gestionar sus suscripciones",
    because: "Recibe este mensaje porque se suscribió a los comentarios de {site}.",
    page_confirmed: "Su dirección está confirmada: recibirá avisos de nuevos comentarios.",
    page_unsubscribed: "Se ha dado de baja.",
    page_unsubscribe_ask: "¿Dejar de recibir estos mensajes?",
    page_subscriptions: "Sus suscripciones en {site}",
    page_none: "Ya no tiene suscripciones aquí.",
    remove: "Darse de baja",
    remove_all: "Darse de baja de todo",
    kinds: ["cada comentario nuevo", "respuestas a mis comentarios", "al momento", "resumen diario"],
};

const AR: MailStrings = MailStrings {
    tag: "ar",
    rtl: true,
    confirm_subject: "أكّد اشتراكك في التعليقات على {site}",
    confirm_intro: "طلب أحدهم، ونأمل أن تكون أنت، أن يُعلَم بالتعليقات الجديدة على «{title}». أكّد بالرابط أدناه. إن لم تكن أنت، فتجاهل هذه الرسالة: لن يُرسَل شيء آخر.",
    confirm_action: "تأكيد اشتراكي",
    comment_subject: "تعليق جديد على «{title}»",
    reply_subject: "رد جديد على تعليقك على «{title}»",
    wrote: "كتب {name}:",
    view: "اقرأه على الصفحة",
    digest_subject: "تعليقات جديدة على {site}",
    digest_intro: "التعليقات الجديدة منذ الملخص الأخير:",
    held_subject: "تعليق ينتظر المراجعة على {site}",
    held_intro: "احتُجز هذا التعليق لمشرف:",
    held_digest_subject: "تعليقات تنتظر المراجعة على {site}",
    open_queue: "افتح طابور الإشراف",
    unsubscribe: "إلغاء الاشتراك",
    manage: "إدارة اشتراكاتك",
    because: "تصلك هذه الرسالة لأنك اشتركت في التعليقات على {site}.",
    page_confirmed: "تم تأكيد عنوانك: ستصلك التعليقات الجديدة.",
    page_unsubscribed: "ألغيت اشتراكك.",
    page_unsubscribe_ask: "إيقاف هذه الرسائل؟",
    page_subscriptions: "اشتراكاتك على {site}",
    page_none: "لم تعد لديك اشتراكات هنا.",
    remove: "إلغاء الاشتراك",
    remove_all: "إلغاء كل الاشتراكات",
    kinds: ["كل تعليق جديد", "الردود على تعليقاتي", "فورًا", "ملخص يومي"],
};

/// The words for a language tag (`de-AT` gives German); English otherwise.
pub fn strings(tag: &str) -> &'static MailStrings {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    [&DE, &FR, &ES, &AR]
        .into_iter()
        .find(|s| s.tag == primary)
        .unwrap_or(&EN)
}

/// Fills `{site}`, `{title}` and `{name}` in.
pub fn fill(text: &str, site: &str, title: &str, name: &str) -> String {
    text.replace("{site}", site)
        .replace("{title}", title)
        .replace("{name}", name)
}
