//! The campaign bar's words in every language the widget speaks, the month
//! names its countdown needs, and how each language writes money. Kept
//! apart from [`super::i18n::Strings`], which travel to every reader of a
//! thread.

use super::i18n::{Lang, Plural};
use rostra_core::campaign::NumberStyle;

/// Every string the campaign bar shows. `{n}`, `{until}`, `{month}`, `{d}`,
/// `{date}`, `{amount}`, `{raised}` and `{goal}` are replaced.
#[derive(Debug)]
pub struct CampaignStrings {
    /// The bar's region: "Donation campaign: {title}".
    pub region: &'static str,
    /// "11 days left until {until}".
    pub days_left: Plural,
    /// `{until}` when the campaign ends with a month: "the end of September".
    pub end_of: &'static str,
    /// A date: "September 30".
    pub date: &'static str,
    /// Today is the last day.
    pub last_day: &'static str,
    /// It has ended.
    pub ended: &'static str,
    /// It starts on `{date}`.
    pub starts: &'static str,
    /// The bar's label.
    pub raised: &'static str,
    /// "{raised} of {goal}", the bar's value in words.
    pub of_goal: &'static str,
    /// The next milestone.
    pub next: &'static str,
    /// Past the goal.
    pub goal_reached: &'static str,
    /// "12 donors".
    pub donors: Plural,
    /// The ticks' label.
    pub milestones: &'static str,
    /// January to December.
    pub months: [&'static str; 12],
}

const fn plural(one: &'static str, other: &'static str) -> Plural {
    Plural {
        zero: None,
        one,
        two: None,
        few: None,
        many: None,
        other,
    }
}

const EN: CampaignStrings = CampaignStrings {
    region: "Donation campaign: {title}",
    days_left: plural("1 day left until {until}", "{n} days left until {until}"),
    end_of: "the end of {month}",
    date: "{month} {d}",
    last_day: "Last day",
    ended: "Campaign ended",
    starts: "Starts {date}",
    raised: "Raised so far",
    of_goal: "{raised} of {goal}",
    next: "Next milestone: {amount}",
    goal_reached: "Goal reached!",
    donors: plural("1 donor", "{n} donors"),
    milestones: "Milestones",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

const DE: CampaignStrings = CampaignStrings {
    region: "Spendenkampagne: {title}",
    days_left: plural("Noch 1 Tag bis {until}", "Noch {n} Tage bis {until}"),
    end_of: "Ende {month}",
    date: "{d}. {month}",
    last_day: "Letzter Tag",
    ended: "Kampagne beendet",
    starts: "Beginnt am {date}",
    raised: "Bisher gesammelt",
    of_goal: "{raised} von {goal}",
    next: "Nächstes Etappenziel: {amount}",
    goal_reached: "Ziel erreicht!",
    donors: plural("1 Spender", "{n} Spender"),
    milestones: "Etappenziele",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
};

const FR: CampaignStrings = CampaignStrings {
    region: "Campagne de dons : {title}",
    days_left: plural(
        "{n} jour restant jusqu’à {until}",
        "{n} jours restants jusqu’à {until}",
    ),
    end_of: "fin {month}",
    date: "{d} {month}",
    last_day: "Dernier jour",
    ended: "Campagne terminée",
    starts: "Commence le {date}",
    raised: "Collecté à ce jour",
    of_goal: "{raised} sur {goal}",
    next: "Prochain palier : {amount}",
    goal_reached: "Objectif atteint !",
    donors: plural("{n} donateur", "{n} donateurs"),
    milestones: "Paliers",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
};

const ES: CampaignStrings = CampaignStrings {
    region: "Campaña de donaciones: {title}",
    days_left: plural("Queda 1 día hasta {until}", "Quedan {n} días hasta {until}"),
    end_of: "finales de {month}",
    date: "{d} de {month}",
    last_day: "Último día",
    ended: "Campaña terminada",
    starts: "Empieza el {date}",
    raised: "Recaudado hasta ahora",
    of_goal: "{raised} de {goal}",
    next: "Próximo hito: {amount}",
    goal_reached: "¡Meta alcanzada!",
    donors: plural("1 donante", "{n} donantes"),
    milestones: "Hitos",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
};

const AR: CampaignStrings = CampaignStrings {
    region: "حملة تبرعات: {title}",
    days_left: Plural {
        zero: Some("لم يبقَ أي يوم حتى {until}"),
        one: "يبقى يوم واحد حتى {until}",
        two: Some("يبقى يومان حتى {until}"),
        few: Some("تبقى {n} أيام حتى {until}"),
        many: Some("يبقى {n} يومًا حتى {until}"),
        other: "يبقى {n} يوم حتى {until}",
    },
    end_of: "نهاية {month}",
    date: "{d} {month}",
    last_day: "اليوم الأخير",
    ended: "انتهت الحملة",
    starts: "تبدأ في {date}",
    raised: "جُمع حتى الآن",
    of_goal: "{raised} من {goal}",
    next: "المرحلة التالية: {amount}",
    goal_reached: "تحقق الهدف!",
    donors: Plural {
        zero: Some("لا متبرعين"),
        one: "متبرع واحد",
        two: Some("متبرعان"),
        few: Some("{n} متبرعين"),
        many: Some("{n} متبرعًا"),
        other: "{n} متبرع",
    },
    milestones: "المراحل",
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
};

/// The bar's strings in `lang`.
pub fn strings(lang: Lang) -> &'static CampaignStrings {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
        Lang::Fr => &FR,
        Lang::Es => &ES,
        Lang::Ar => &AR,
    }
}

/// How `lang` writes money (Arabic pages here use Latin digits).
pub fn number_style(lang: Lang) -> NumberStyle {
    match lang {
        Lang::En | Lang::Ar => NumberStyle::EN,
        Lang::De => NumberStyle::DE,
        Lang::Fr => NumberStyle::FR,
        Lang::Es => NumberStyle::ES,
    }
}
