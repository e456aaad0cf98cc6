//! The moderation page's words, in every language the widget speaks. Kept
//! apart from [`super::i18n::Strings`] so that the widget's strings (which
//! travel to every reader as `data-i18n`) do not grow with the moderator's.

use super::i18n::Lang;

/// Every string the moderation page shows. `{n}` is replaced by a number.
#[derive(Debug)]
pub struct ModStrings {
    /// The page's title and heading.
    pub title: &'static str,
    /// The sign-in form's heading and button.
    pub sign_in: &'static str,
    /// Login name field.
    pub user_name: &'static str,
    /// Password field.
    pub password: &'static str,
    /// A failed sign-in.
    pub bad_login: &'static str,
    /// Sign-out button.
    pub sign_out: &'static str,
    /// "Signed in as".
    pub signed_in_as: &'static str,
    /// The site picker's label.
    pub sites: &'static str,
    /// A user who moderates no site.
    pub no_sites: &'static str,
    /// The filter tabs' label.
    pub queue: &'static str,
    /// Held comments.
    pub held: &'static str,
    /// Reported comments.
    pub reported: &'static str,
    /// Held and reported.
    pub all: &'static str,
    /// Rejected or spam: refusals a moderator may undo.
    pub rejected: &'static str,
    /// The order tabs' label.
    pub order: &'static str,
    /// Newest first.
    pub newest: &'static str,
    /// Most urgent first.
    pub urgent: &'static str,
    /// An empty queue.
    pub empty: &'static str,
    /// Between an author and the page: "John on Title".
    pub on: &'static str,
    /// A published comment (in the queue for its reports).
    pub published: &'static str,
    /// A rejected comment (in the rejected view).
    pub was_rejected: &'static str,
    /// A comment marked as spam (in the rejected view).
    pub was_spam: &'static str,
    /// Before an author's record on the site: how many comments stand where.
    pub record: &'static str,
    /// The record is by address hash (the author gave no e-mail).
    pub by_address: &'static str,
    /// The policy's reasons.
    pub reasons: &'static str,
    /// The words that weighed most.
    pub words: &'static str,
    /// The model's scores.
    pub scores: &'static str,
    /// Readers' reports, `{n}` of them.
    pub reports: &'static str,
    /// A comment's checkbox.
    pub select: &'static str,
    /// Approve.
    pub approve: &'static str,
    /// Reject.
    pub reject: &'static str,
    /// Spam.
    pub spam: &'static str,
    /// Delete.
    pub delete: &'static str,
    /// The bulk bar's label.
    pub bulk: &'static str,
    /// The bulk bar's action select.
    pub action: &'static str,
    /// The reason field.
    pub reason: &'static str,
    /// The bulk bar's button.
    pub apply: &'static str,
    /// After approving `{n}`.
    pub done_approve: &'static str,
    /// After rejecting `{n}`.
    pub done_reject: &'static str,
    /// After marking `{n}` as spam.
    pub done_spam: &'static str,
    /// After deleting `{n}`.
    pub done_delete: &'static str,
    /// `{n}` comments were not found.
    pub not_found: &'static str,
    /// `{n}` actions failed.
    pub failed: &'static str,
    /// A bulk action with nothing selected.
    pub none_selected: &'static str,
    /// The audit list's heading.
    pub recent: &'static str,
    /// No audit entries yet.
    pub no_actions: &'static str,
    /// The next queue page.
    pub next_page: &'static str,
    /// The ban form of a queue item.
    pub ban_author: &'static str,
    /// How long a ban lasts (its select).
    pub ban_length: &'static str,
    /// A day.
    pub one_day: &'static str,
    /// Seven days.
    pub one_week: &'static str,
    /// Thirty days.
    pub one_month: &'static str,
    /// A ban with no end.
    pub for_ever: &'static str,
    /// The ban button.
    pub ban: &'static str,
    /// The list of bans in force.
    pub bans: &'static str,
    /// No ban in force.
    pub no_bans: &'static str,
    /// Before the end of a ban.
    pub until: &'static str,
    /// The button that lifts a ban.
    pub lift: &'static str,
    /// A ban by e-mail.
    pub kind_email: &'static str,
    /// A ban by address.
    pub kind_address: &'static str,
    /// A ban by display name.
    pub kind_name: &'static str,
    /// After banning.
    pub done_ban: &'static str,
    /// After lifting bans.
    pub done_unban: &'static str,
    /// The heading of an author's view; `{n}` the comment's id.
    pub by_author: &'static str,
}

impl Lang {
    /// The moderation page's strings.
    pub fn mod_strings(self) -> &'static ModStrings {
        match self {
            Lang::En => &EN,
            Lang::De => &DE,
            Lang::Fr => &FR,
            Lang::Es => &ES,
            Lang::Ar => &AR,
        }
    }
}

static EN: ModStrings = ModStrings {
    title: "Moderation",
    sign_in: "Sign in",
    user_name: "Name",
    password: "Password",
    bad_login: "Wrong name or password.",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    sites: "Sites",
    no_sites: "You do not moderate any site yet.",
    queue: "Queue",
    held: "Held",
    reported: "Reported",
    all: "All",
    rejected: "Rejected",
    order: "Order",
    newest: "Newest",
    urgent: "Most urgent",
    empty: "Nothing to review.",
    on: "on",
    published: "Published",
    was_rejected: "Rejected",
    was_spam: "Spam",
    record: "By this author",
    by_address: "known by address",
    reasons: "Reasons",
    words: "Words",
    scores: "Scores",
    reports: "Reports: {n}",
    select: "Select",
    approve: "Approve",
    reject: "Reject",
    spam: "Spam",
    delete: "Delete",
    bulk: "With the selected comments",
    action: "Action",
    reason: "Reason (optional)",
    apply: "Apply",
    done_approve: "Approved: {n}",
    done_reject: "Rejected: {n}",
    done_spam: "Marked as spam: {n}",
    done_delete: "Deleted: {n}",
    not_found: "Not found: {n}",
    failed: "Failed, try again: {n}",
    none_selected: "Select at least one comment.",
    recent: "Recent actions",
    no_actions: "No actions yet.",
    next_page: "Next page",
    ban_author: "Ban the author",
    ban_length: "For",
    one_day: "1 day",
    one_week: "7 days",
    one_month: "30 days",
    for_ever: "For ever",
    ban: "Ban",
    bans: "Bans in force",
    no_bans: "No bans in force.",
    until: "until",
    lift: "Lift",
    kind_email: "E-mail",
    kind_address: "Address",
    kind_name: "Name",
    done_ban: "Banned: {n}",
    done_unban: "Bans lifted: {n}",
    by_author: "Every comment by the author of #{n}",
};

static DE: ModStrings = ModStrings {
    title: "Moderation",
    sign_in: "Anmelden",
    user_name: "Name",
    password: "Passwort",
    bad_login: "Name oder Passwort ist falsch.",
    sign_out: "Abmelden",
    signed_in_as: "Angemeldet als",
    sites: "Websites",
    no_sites: "Sie moderieren noch keine Website.",
    queue: "Warteschlange",
    held: "Zurückgehalten",
    reported: "Gemeldet",
    all: "Alle",
    rejected: "Abgelehnt",
    order: "Reihenfolge",
    newest: "Neueste",
    urgent: "Dringendste",
    empty: "Nichts zu prüfen.",
    on: "zu",
    published: "Veröffentlicht",
    was_rejected: "Abgelehnt",
    was_spam: "Spam",
    record: "Von dieser Person",
    by_address: "an der Adresse erkannt",
    reasons: "Gründe",
    words: "Wörter",
    scores: "Werte",
    reports: "Meldungen: {n}",
    select: "Auswählen",
    approve: "Freigeben",
    reject: "Ablehnen",
    spam: "Spam",
    delete: "Löschen",
    bulk: "Mit den ausgewählten Kommentaren",
    action: "Aktion",
    reason: "Begründung (freiwillig)",
    apply: "Ausführen",
    done_approve: "Freigegeben: {n}",
    done_reject: "Abgelehnt: {n}",
    done_spam: "Als Spam markiert: {n}",
    done_delete: "Gelöscht: {n}",
    not_found: "Nicht gefunden: {n}",
    failed: "Fehlgeschlagen, bitte erneut versuchen: {n}",
    none_selected: "Wählen Sie mindestens einen Kommentar aus.",
    recent: "Letzte Aktionen",
    no_actions: "Noch keine Aktionen.",
    next_page: "Nächste Seite",
    ban_author: "Person sperren",
    ban_length: "Für",
    one_day: "1 Tag",
    one_week: "7 Tage",
    one_month: "30 Tage",
    for_ever: "Für immer",
    ban: "Sperren",
    bans: "Aktive Sperren",
    no_bans: "Keine aktiven Sperren.",
    until: "bis",
    lift: "Aufheben",
    kind_email: "E-Mail",
    kind_address: "Adresse",
    kind_name: "Name",
    done_ban: "Gesperrt: {n}",
    done_unban: "Sperren aufgehoben: {n}",
    by_author: "Alle Kommentare der Person hinter #{n}",
};

static FR: ModStrings = ModStrings {
    title: "Modération",
    sign_in: "Se connecter",
    user_name: "Nom",
    password: "Mot de passe",
    bad_login: "Nom ou mot de passe incorrect.",
    sign_out: "Se déconnecter",
    signed_in_as: "Connecté en tant que",
    sites: "Sites",
    no_sites: "Vous ne modérez encore aucun site.",
    queue: "File d’attente",
    held: "Retenus",
    reported: "Signalés",
    all: "Tous",
    rejected: "Rejetés",
    order: "Ordre",
    newest: "Plus récents",
    urgent: "Plus urgents",
    empty: "Rien à examiner.",
    on: "sur",
    published: "Publié",
    was_rejected: "Rejeté",
    was_spam: "Indésirable",
    record: "De cet auteur",
    by_address: "reconnu à son adresse",
    reasons: "Raisons",
    words: "Mots",
    scores: "Scores",
    reports: "Signalements : {n}",
    select: "Sélectionner",
    approve: "Approuver",
    reject: "Refuser",
    spam: "Spam",
    delete: "Supprimer",
    bulk: "Avec les commentaires sélectionnés",
    action: "Action",
    reason: "Motif (facultatif)",
    apply: "Appliquer",
    done_approve: "Approuvés : {n}",
    done_reject: "Refusés : {n}",
    done_spam: "Marqués comme spam : {n}",
    done_delete: "Supprimés : {n}",
    not_found: "Introuvables : {n}",
    failed: "Échecs, veuillez réessayer : {n}",
    none_selected: "Sélectionnez au moins un commentaire.",
    recent: "Actions récentes",
    no_actions: "Aucune action pour l’instant.",
    next_page: "Page suivante",
    ban_author: "Bannir l’auteur",
    ban_length: "Durée",
    one_day: "1 jour",
    one_week: "7 jours",
    one_month: "30 jours",
    for_ever: "Pour toujours",
    ban: "Bannir",
    bans: "Bannissements en cours",
    no_bans: "Aucun bannissement en cours.",
    until: "jusqu’au",
    lift: "Lever",
    kind_email: "E-mail",
    kind_address: "Adresse",
    kind_name: "Nom",
    done_ban: "Bannis : {n}",
    done_unban: "Bannissements levés : {n}",
    by_author: "Tous les commentaires de l’auteur du n° {n}",
};

static ES: ModStrings = ModStrings {
    title: "Moderación",
    sign_in: "Iniciar sesión",
    user_name: "Nombre",
    password: "Contraseña",
    bad_login: "Nombre o contraseña incorrectos.",
    sign_out: "Cerrar sesión",
    signed_in_as: "Sesión iniciada como",
    sites: "Sitios",
    no_sites: "Aún no moderas ningún sitio.",
    queue: "Cola",
    held: "Retenidos",
    reported: "Denunciados",
    all: "Todos",
    rejected: "Rechazados",
    order: "Orden",
    newest: "Más recientes",
    urgent: "Más urgentes",
    empty: "Nada que revisar.",
    on: "en",
    published: "Publicado",
    was_rejected: "Rechazado",
    was_spam: "Spam",
    record: "De este autor",
    by_address: "reconocido por su dirección",
    reasons: "Motivos",
    words: "Palabras",
    scores: "Puntuaciones",
    reports: "Denuncias: {n}",
    select: "Seleccionar",
    approve: "Aprobar",
    reject: "Rechazar",
    spam: "Spam",
    delete: "Eliminar",
    bulk: "Con los comentarios seleccionados",
    action: "Acción",
    reason: "Motivo (opcional)",
    apply: "Aplicar",
    done_approve: "Aprobados: {n}",
    done_reject: "Rechazados: {n}",
    done_spam: "Marcados como spam: {n}",
    done_delete: "Eliminados: {n}",
    not_found: "No encontrados: {n}",
    failed: "Fallidos, inténtalo de nuevo: {n}",
    none_selected: "Selecciona al menos un comentario.",
    recent: "Acciones recientes",
    no_actions: "Aún no hay acciones.",
    next_page: "Página siguiente",
    ban_author: "Bloquear al autor",
    ban_length: "Durante",
    one_day: "1 día",
    one_week: "7 días",
    one_month: "30 días",
    for_ever: "Para siempre",
    ban: "Bloquear",
    bans: "Bloqueos vigentes",
    no_bans: "No hay bloqueos vigentes.",
    until: "hasta",
    lift: "Levantar",
    kind_email: "Correo",
    kind_address: "Dirección",
    kind_name: "Nombre",
    done_ban: "Bloqueados: {n}",
    done_unban: "Bloqueos levantados: {n}",
    by_author: "Todos los comentarios del autor del n.º {n}",
};

static AR: ModStrings = ModStrings {
    title: "الإشراف",
    sign_in: "تسجيل الدخول",
    user_name: "الاسم",
    password: "كلمة المرور",
    bad_login: "الاسم أو كلمة المرور غير صحيحة.",
    sign_out: "تسجيل الخروج",
    signed_in_as: "مسجَّل الدخول باسم",
    sites: "المواقع",
    no_sites: "لا تشرف على أي موقع بعد.",
    queue: "قائمة الانتظار",
    held: "المحتجزة",
    reported: "المُبلَّغ عنها",
    all: "الكل",
    rejected: "المرفوضة",
    order: "الترتيب",
    newest: "الأحدث",
    urgent: "الأكثر إلحاحًا",
    empty: "لا شيء للمراجعة.",
    on: "على",
    published: "منشور",
    was_rejected: "مرفوض",
    was_spam: "مزعج",
    record: "من هذا الكاتب",
    by_address: "معروف بعنوانه",
    reasons: "الأسباب",
    words: "الكلمات",
    scores: "الدرجات",
    reports: "البلاغات: {n}",
    select: "تحديد",
    approve: "قبول",
    reject: "رفض",
    spam: "مزعج",
    delete: "حذف",
    bulk: "مع التعليقات المحددة",
    action: "الإجراء",
    reason: "السبب (اختياري)",
    apply: "تطبيق",
    done_approve: "تم القبول: {n}",
    done_reject: "تم الرفض: {n}",
    done_spam: "عُلِّم كمزعج: {n}",
    done_delete: "تم الحذف: {n}",
    not_found: "غير موجود: {n}",
    failed: "فشل، حاول مرة أخرى: {n}",
    none_selected: "حدد تعليقًا واحدًا على الأقل.",
    recent: "الإجراءات الأخيرة",
    no_actions: "لا توجد إجراءات بعد.",
    next_page: "الصفحة التالية",
    ban_author: "حظر الكاتب",
    ban_length: "لمدة",
    one_day: "يوم واحد",
    one_week: "7 أيام",
    one_month: "30 يومًا",
    for_ever: "إلى الأبد",
    ban: "حظر",
    bans: "الحظر الساري",
    no_bans: "لا حظر ساريًا.",
    until: "حتى",
    lift: "رفع",
    kind_email: "البريد الإلكتروني",
    kind_address: "العنوان",
    kind_name: "الاسم",
    done_ban: "تم الحظر: {n}",
    done_unban: "رُفع الحظر: {n}",
    by_author: "كل تعليقات كاتب التعليق رقم {n}",
};
