//! The widget's words, in every language Rostra speaks, and the choice of one
//! from a `lang` parameter or `Accept-Language`.
//!
//! Adding a language is adding one [`Strings`] value and one arm in
//! [`Lang::strings`]; the compiler checks that nothing is missing.

use serde::Serialize;

/// A language Rostra is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Arabic (written right to left).
    Ar,
}

/// A plural set: one text per CLDR plural category, `{n}` replaced by the
/// number. `other` is required; the others fall back to it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Plural {
    /// n = 0 (Arabic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero: Option<&'static str>,
    /// Singular.
    pub one: &'static str,
    /// Dual (Arabic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two: Option<&'static str>,
    /// Paucal (Arabic 3–10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub few: Option<&'static str>,
    /// Arabic 11–99.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub many: Option<&'static str>,
    /// Everything else.
    pub other: &'static str,
}

impl Plural {
    const fn two_forms(one: &'static str, other: &'static str) -> Self {
        Self {
            zero: None,
            one,
            two: None,
            few: None,
            many: None,
            other,
        }
    }

    /// The text for `n` in `lang`.
    pub fn format(&self, lang: Lang, n: i64) -> String {
        let form = match lang.category(n) {
            Category::Zero => self.zero,
            Category::One => Some(self.one),
            Category::Two => self.two,
            Category::Few => self.few,
            Category::Many => self.many,
            Category::Other => None,
        };
        form.unwrap_or(self.other).replace("{n}", &n.to_string())
    }
}

/// CLDR plural categories (cardinal, integers only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// zero
    Zero,
    /// one
    One,
    /// two
    Two,
    /// few
    Few,
    /// many
    Many,
    /// other
    Other,
}

/// Every string the fragments and the widget show.
#[derive(Debug, Serialize)]
pub struct Strings {
    /// "11 Comments".
    pub count: Plural,
    /// "3 new comments — show".
    pub new: Plural,
    /// The form's heading.
    pub leave: &'static str,
    /// "guest": who writes without an account.
    pub guest: &'static str,
    /// Name field.
    pub name: &'static str,
    /// E-mail field.
    pub email: &'static str,
    /// Body field.
    pub body: &'static str,
    /// Body placeholder.
    pub placeholder: &'static str,
    /// The Markdown hint under the body.
    pub markdown_hint: &'static str,
    /// "Subscribe".
    pub subscribe: &'static str,
    /// "Notify of".
    pub notify_of: &'static str,
    /// No notifications.
    pub notify_none: &'static str,
    /// New follow-up comments.
    pub notify_thread: &'static str,
    /// New replies to my comments.
    pub notify_replies: &'static str,
    /// Preview button.
    pub preview: &'static str,
    /// Back from preview.
    pub write: &'static str,
    /// Submit button.
    pub post: &'static str,
    /// Submit button while posting.
    pub posting: &'static str,
    /// Cancel.
    pub cancel: &'static str,
    /// Sort tabs' label.
    pub sort_label: &'static str,
    /// Oldest first.
    pub oldest: &'static str,
    /// Newest first.
    pub newest: &'static str,
    /// Most voted first.
    pub votes: &'static str,
    /// Back to the first page.
    pub view_all: &'static str,
    /// Load more.
    pub load_more: &'static str,
    /// Loading.
    pub loading: &'static str,
    /// No comments yet.
    pub empty: &'static str,
    /// Reply.
    pub reply: &'static str,
    /// "In reply to".
    pub reply_to: &'static str,
    /// Edit.
    pub edit: &'static str,
    /// Delete.
    pub delete: &'static str,
    /// Save.
    pub save: &'static str,
    /// Asked before deleting.
    pub confirm_delete: &'static str,
    /// Marks an edited comment.
    pub edited: &'static str,
    /// Shown to the author of a held comment.
    pub pending: &'static str,
    /// A tombstone's text.
    pub deleted: &'static str,
    /// Up-vote label.
    pub vote_up: &'static str,
    /// Down-vote label.
    pub vote_down: &'static str,
    /// Permalink label.
    pub permalink: &'static str,
    /// A permalink to a comment that is gone.
    pub permalink_missing: &'static str,
    /// The bubble's invitation.
    pub invite: &'static str,
    /// Dismiss the bubble.
    pub dismiss: &'static str,
    /// A failed request.
    pub error: &'static str,
    /// The submit button after a nudge: post although the site warned.
    pub post_anyway: &'static str,
    /// The author's comment was rejected or kept as spam.
    pub not_published: &'static str,
    /// The button that subscribes without commenting.
    pub subscribe_now: &'static str,
    /// After subscribing.
    pub subscribe_sent: &'static str,
    /// "How often".
    pub cadence: &'static str,
    /// One message per comment.
    pub cadence_instant: &'static str,
    /// One message a day.
    pub cadence_digest: &'static str,
    /// The honeypot field's label (hidden from people).
    pub honeypot: &'static str,
    /// The server-rendered page's heading.
    pub comments_on: &'static str,
    /// Link back to the article from that page.
    pub back_to_article: &'static str,
}

impl Lang {
    /// Every language, in the order they are listed.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Ar];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ar => "ar",
        }
    }

    /// `ltr` or `rtl`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// The language a tag such as `de-AT` or `AR` asks for, if Rostra speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The first language of a `lang` parameter, then of an `Accept-Language`
    /// header (by quality), that Rostra speaks; English otherwise.
    pub fn negotiate(param: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(l) = param.and_then(Lang::from_tag) {
            return l;
        }
        let mut ranges: Vec<(f32, &str)> = accept_language
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty() && q > 0.0).then_some((q, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges
            .into_iter()
            .find_map(|(_, tag)| Lang::from_tag(tag))
            .unwrap_or_default()
    }

    /// The CLDR cardinal plural category of an integer.
    pub fn category(self, n: i64) -> Category {
        let n = n.unsigned_abs();
        match self {
            Lang::En | Lang::De | Lang::Es => {
                if n == 1 {
                    Category::One
                } else {
                    Category::Other
                }
            }
            Lang::Fr => {
                if n <= 1 {
                    Category::One
                } else {
                    Category::Other
                }
            }
            Lang::Ar => match (n, n % 100) {
                (0, _) => Category::Zero,
                (1, _) => Category::One,
                (2, _) => Category::Two,
                (_, 3..=10) => Category::Few,
                (_, 11..=99) => Category::Many,
                _ => Category::Other,
            },
        }
    }

    /// The strings.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::De => &DE,
            Lang::Fr => &FR,
            Lang::Es => &ES,
            Lang::Ar => &AR,
        }
    }
}

static EN: Strings = Strings {
    count: Plural::two_forms("{n} Comment", "{n} Comments"),
    new: Plural::two_forms("{n} new comment — show", "{n} new comments — show"),
    leave: "Leave a comment",
    guest: "guest",
    name: "Name",
    email: "E-mail (optional, never shown)",
    body: "Comment",
    placeholder: "Join the discussion",
    markdown_hint: "Markdown: *italic*, **bold**, [link](https://…), > quote",
    subscribe: "Subscribe",
    notify_of: "Notify of",
    notify_none: "nothing",
    notify_thread: "new follow-up comments",
    notify_replies: "new replies to my comments",
    preview: "Preview",
    write: "Write",
    post: "Post comment",
    posting: "Posting…",
    cancel: "Cancel",
    sort_label: "Sort comments",
    oldest: "Oldest",
    newest: "Newest",
    votes: "Most Voted",
    view_all: "View all comments",
    load_more: "Load more comments",
    loading: "Loading…",
    empty: "No comments yet. Would love your thoughts!",
    reply: "Reply",
    reply_to: "in reply to",
    edit: "Edit",
    delete: "Delete",
    save: "Save",
    confirm_delete: "Delete this comment?",
    edited: "edited",
    pending: "Awaiting moderation",
    deleted: "This comment was deleted.",
    vote_up: "Vote up",
    vote_down: "Vote down",
    permalink: "Link to this comment",
    permalink_missing: "That comment is no longer available.",
    invite: "Would love your thoughts, please comment.",
    dismiss: "Dismiss",
    error: "Something went wrong. Please try again.",
    post_anyway: "Post anyway",
    not_published: "Your comment was not published.",
    subscribe_now: "Subscribe without commenting",
    subscribe_sent: "Almost done: follow the link we e-mailed to confirm (an address confirmed before is subscribed at once).",
    cadence: "How often",
    cadence_instant: "at once",
    cadence_digest: "daily digest",
    honeypot: "Leave this field empty",
    comments_on: "Comments on",
    back_to_article: "Back to the article",
};

static DE: Strings = Strings {
    count: Plural::two_forms("{n} Kommentar", "{n} Kommentare"),
    new: Plural::two_forms(
        "{n} neuer Kommentar — anzeigen",
        "{n} neue Kommentare — anzeigen",
    ),
    leave: "Kommentar schreiben",
    guest: "Gast",
    name: "Name",
    email: "E-Mail (freiwillig, wird nie angezeigt)",
    body: "Kommentar",
    placeholder: "Diskutieren Sie mit",
    markdown_hint: "Markdown: *kursiv*, **fett**, [Link](https://…), > Zitat",
    subscribe: "Abonnieren",
    notify_of: "Benachrichtigen bei",
    notify_none: "nichts",
    notify_thread: "neuen Kommentaren",
    notify_replies: "Antworten auf meine Kommentare",
    preview: "Vorschau",
    write: "Schreiben",
    post: "Kommentar senden",
    posting: "Wird gesendet…",
    cancel: "Abbrechen",
    sort_label: "Kommentare sortieren",
    oldest: "Älteste",
    newest: "Neueste",
    votes: "Meistbewertet",
    view_all: "Alle Kommentare ansehen",
    load_more: "Weitere Kommentare laden",
    loading: "Wird geladen…",
    empty: "Noch keine Kommentare. Wir freuen uns auf Ihre Meinung!",
    reply: "Antworten",
    reply_to: "Antwort an",
    edit: "Bearbeiten",
    delete: "Löschen",
    save: "Speichern",
    confirm_delete: "Diesen Kommentar löschen?",
    edited: "bearbeitet",
    pending: "Wartet auf Freigabe",
    deleted: "Dieser Kommentar wurde gelöscht.",
    vote_up: "Positiv bewerten",
    vote_down: "Negativ bewerten",
    permalink: "Link zu diesem Kommentar",
    permalink_missing: "Dieser Kommentar ist nicht mehr verfügbar.",
    invite: "Wir freuen uns auf Ihre Meinung – kommentieren Sie!",
    dismiss: "Schließen",
    error: "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
    post_anyway: "Trotzdem senden",
    not_published: "Ihr Kommentar wurde nicht veröffentlicht.",
    subscribe_now: "Ohne Kommentar abonnieren",
    subscribe_sent: "Fast fertig: Bestätigen Sie mit dem Link aus unserer E-Mail (eine schon bestätigte Adresse ist sofort angemeldet).",
    cadence: "Wie oft",
    cadence_instant: "sofort",
    cadence_digest: "tägliche Zusammenfassung",
    honeypot: "Dieses Feld bitte leer lassen",
    comments_on: "Kommentare zu",
    back_to_article: "Zurück zum Artikel",
};

static FR: Strings = Strings {
    count: Plural::two_forms("{n} commentaire", "{n} commentaires"),
    new: Plural::two_forms(
        "{n} nouveau commentaire — afficher",
        "{n} nouveaux commentaires — afficher",
    ),
    leave: "Laisser un commentaire",
    guest: "invité",
    name: "Nom",
    email: "E-mail (facultatif, jamais affiché)",
    body: "Commentaire",
    placeholder: "Participez à la discussion",
    markdown_hint: "Markdown : *italique*, **gras**, [lien](https://…), > citation",
    subscribe: "S’abonner",
    notify_of: "M’avertir des",
    notify_none: "rien",
    notify_thread: "nouveaux commentaires",
    notify_replies: "réponses à mes commentaires",
    preview: "Aperçu",
    write: "Écrire",
    post: "Publier le commentaire",
    posting: "Publication…",
    cancel: "Annuler",
    sort_label: "Trier les commentaires",
    oldest: "Plus anciens",
    newest: "Plus récents",
    votes: "Les mieux notés",
    view_all: "Voir tous les commentaires",
    load_more: "Charger plus de commentaires",
    loading: "Chargement…",
    empty: "Aucun commentaire pour l’instant. Donnez-nous votre avis !",
    reply: "Répondre",
    reply_to: "en réponse à",
    edit: "Modifier",
    delete: "Supprimer",
    save: "Enregistrer",
    confirm_delete: "Supprimer ce commentaire ?",
    edited: "modifié",
    pending: "En attente de modération",
    deleted: "Ce commentaire a été supprimé.",
    vote_up: "Voter pour",
    vote_down: "Voter contre",
    permalink: "Lien vers ce commentaire",
    permalink_missing: "Ce commentaire n’est plus disponible.",
    invite: "Votre avis compte, laissez un commentaire.",
    dismiss: "Fermer",
    error: "Une erreur s’est produite. Veuillez réessayer.",
    post_anyway: "Publier quand même",
    not_published: "Votre commentaire n’a pas été publié.",
    subscribe_now: "S’abonner sans commenter",
    subscribe_sent: "Presque fini : suivez le lien envoyé par e-mail pour confirmer (une adresse déjà confirmée est abonnée tout de suite).",
    cadence: "À quelle fréquence",
    cadence_instant: "tout de suite",
    cadence_digest: "résumé quotidien",
    honeypot: "Laissez ce champ vide",
    comments_on: "Commentaires sur",
    back_to_article: "Retour à l’article",
};

static ES: Strings = Strings {
    count: Plural::two_forms("{n} comentario", "{n} comentarios"),
    new: Plural::two_forms(
        "{n} comentario nuevo — mostrar",
        "{n} comentarios nuevos — mostrar",
    ),
    leave: "Deja un comentario",
    guest: "invitado",
    name: "Nombre",
    email: "Correo (opcional, nunca se muestra)",
    body: "Comentario",
    placeholder: "Únete a la conversación",
    markdown_hint: "Markdown: *cursiva*, **negrita**, [enlace](https://…), > cita",
    subscribe: "Suscribirse",
    notify_of: "Avisarme de",
    notify_none: "nada",
    notify_thread: "nuevos comentarios",
    notify_replies: "respuestas a mis comentarios",
    preview: "Vista previa",
    write: "Escribir",
    post: "Publicar comentario",
    posting: "Publicando…",
    cancel: "Cancelar",
    sort_label: "Ordenar comentarios",
    oldest: "Más antiguos",
    newest: "Más recientes",
    votes: "Más votados",
    view_all: "Ver todos los comentarios",
    load_more: "Cargar más comentarios",
    loading: "Cargando…",
    empty: "Aún no hay comentarios. ¡Nos encantaría conocer tu opinión!",
    reply: "Responder",
    reply_to: "en respuesta a",
    edit: "Editar",
    delete: "Eliminar",
    save: "Guardar",
    confirm_delete: "¿Eliminar este comentario?",
    edited: "editado",
    pending: "Pendiente de moderación",
    deleted: "Este comentario fue eliminado.",
    vote_up: "Votar a favor",
    vote_down: "Votar en contra",
    permalink: "Enlace a este comentario",
    permalink_missing: "Ese comentario ya no está disponible.",
    invite: "Nos encantaría conocer tu opinión, comenta.",
    dismiss: "Cerrar",
    error: "Algo salió mal. Inténtalo de nuevo.",
    post_anyway: "Publicar de todos modos",
    not_published: "Tu comentario no se ha publicado.",
    subscribe_now: "Suscribirse sin comentar",
    subscribe_sent: "Casi listo: siga el enlace que le enviamos por correo para confirmar (una dirección ya confirmada queda suscrita al momento).",
    cadence: "Con qué frecuencia",
    cadence_instant: "al momento",
    cadence_digest: "resumen diario",
    honeypot: "Deja este campo vacío",
    comments_on: "Comentarios sobre",
    back_to_article: "Volver al artículo",
};

static AR: Strings = Strings {
    count: Plural {
        zero: Some("لا توجد تعليقات"),
        one: "تعليق واحد",
        two: Some("تعليقان"),
        few: Some("{n} تعليقات"),
        many: Some("{n} تعليقًا"),
        other: "{n} تعليق",
    },
    new: Plural {
        zero: Some("لا تعليقات جديدة"),
        one: "تعليق جديد واحد — عرض",
        two: Some("تعليقان جديدان — عرض"),
        few: Some("{n} تعليقات جديدة — عرض"),
        many: Some("{n} تعليقًا جديدًا — عرض"),
        other: "{n} تعليق جديد — عرض",
    },
    leave: "اترك تعليقًا",
    guest: "زائر",
    name: "الاسم",
    email: "البريد الإلكتروني (اختياري، لا يُعرض أبدًا)",
    body: "التعليق",
    placeholder: "شارك في النقاش",
    markdown_hint: "ماركداون: *مائل*، **عريض**، [رابط](https://…)، > اقتباس",
    subscribe: "اشترك",
    notify_of: "أعلمني بـ",
    notify_none: "لا شيء",
    notify_thread: "التعليقات الجديدة",
    notify_replies: "الردود على تعليقاتي",
    preview: "معاينة",
    write: "كتابة",
    post: "نشر التعليق",
    posting: "جارٍ النشر…",
    cancel: "إلغاء",
    sort_label: "ترتيب التعليقات",
    oldest: "الأقدم",
    newest: "الأحدث",
    votes: "الأكثر تصويتًا",
    view_all: "عرض كل التعليقات",
    load_more: "تحميل المزيد من التعليقات",
    loading: "جارٍ التحميل…",
    empty: "لا توجد تعليقات بعد. يسعدنا أن نسمع رأيك!",
    reply: "رد",
    reply_to: "ردًا على",
    edit: "تعديل",
    delete: "حذف",
    save: "حفظ",
    confirm_delete: "هل تريد حذف هذا التعليق؟",
    edited: "معدَّل",
    pending: "بانتظار المراجعة",
    deleted: "حُذف هذا التعليق.",
    vote_up: "تصويت إيجابي",
    vote_down: "تصويت سلبي",
    permalink: "رابط هذا التعليق",
    permalink_missing: "هذا التعليق لم يعد متاحًا.",
    invite: "يسعدنا أن نسمع رأيك، شاركنا بتعليق.",
    dismiss: "إغلاق",
    error: "حدث خطأ ما. يُرجى المحاولة مرة أخرى.",
    post_anyway: "انشر على أي حال",
    not_published: "لم يُنشر تعليقك.",
    subscribe_now: "اشترك دون تعليق",
    subscribe_sent:
        "اقتربنا: اتبع الرابط الذي أرسلناه بالبريد للتأكيد (العنوان المؤكَّد من قبل يُشترك فورًا).",
    cadence: "كم مرة",
    cadence_instant: "فورًا",
    cadence_digest: "ملخص يومي",
    honeypot: "اترك هذا الحقل فارغًا",
    comments_on: "تعليقات على",
    back_to_article: "العودة إلى المقال",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lang_parameter_wins_over_the_header() {
        assert_eq!(Lang::negotiate(Some("ar-EG"), Some("de")), Lang::Ar);
        assert_eq!(
            Lang::negotiate(Some("xx"), Some("de-AT,en;q=0.5")),
            Lang::De
        );
    }

    #[test]
    fn the_header_is_read_by_quality() {
        assert_eq!(
            Lang::negotiate(None, Some("ja;q=1, fr;q=0.4, es;q=0.8")),
            Lang::Es
        );
        assert_eq!(Lang::negotiate(None, Some("ja, zh")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("fr;q=0")), Lang::En);
        assert_eq!(Lang::negotiate(None, None), Lang::En);
    }

    #[test]
    fn arabic_plurals_follow_cldr() {
        let s = &Lang::Ar.strings().count;
        assert_eq!(s.format(Lang::Ar, 0), "لا توجد تعليقات");
        assert_eq!(s.format(Lang::Ar, 2), "تعليقان");
        assert_eq!(s.format(Lang::Ar, 5), "5 تعليقات");
        assert_eq!(s.format(Lang::Ar, 11), "11 تعليقًا");
        assert_eq!(s.format(Lang::Ar, 100), "100 تعليق");
        assert_eq!(s.format(Lang::Ar, 103), "103 تعليقات");
    }

    #[test]
    fn english_and_french_differ_on_zero() {
        assert_eq!(Lang::En.strings().count.format(Lang::En, 0), "0 Comments");
        assert_eq!(
            Lang::Fr.strings().count.format(Lang::Fr, 0),
            "0 commentaire"
        );
        assert_eq!(Lang::En.strings().count.format(Lang::En, 1), "1 Comment");
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        for l in Lang::ALL {
            assert_eq!(l.dir() == "rtl", l == Lang::Ar);
            assert_eq!(Lang::from_tag(l.tag()), Some(l));
        }
    }
}
