//! The reference page's eleven comments, as its readers wrote them (several
//! are abusive: moderation will hold those). Generated from
//! `shared/reference/reference-page.txt`; EmilyEnso's opening line is the
//! passage she quotes, so it is a Markdown quotation.

/// Name and Markdown body of each, in the page's order.
pub const COMMENTS: [(&str, &str); 11] = [
    (
        "Zionism = EVIL",
        "The dumbass murderous Americunt coward arseholes assassinated General Soleimani and now Iraq is more allied to Iran and Syria than in its entire post colonial history. Americunts have a headache and pain in the lardass in more than one way.",
    ),
    (
        "John",
        "They don’t get it.",
    ),
    (
        "Ingo Adam",
        "They Do Not Care About Your Dreams. Wars And Caos By All Means.\n\nThey Take Your Wealth As You Are Split. You Must Unite To Get Them Rid.\n\nTribal Fractions Social Tatters. It Is Your Home Your Land That Matters.",
    ),
    (
        "javier",
        "He came dancing across the water Cortez, Cortez What a killer",
    ),
    (
        "Vitex",
        "That’s just laughable. Except it’s not funny",
    ),
    (
        "verner",
        "the disunited states of morons, i.e. washington dc, engage in wars not so much for the victory but for profits – and as long as boots on the ground are cheap, like under-educated white trash from the flyover states, that’s fine and dandy. but, the morons would are slow in risking their sophisticated stuff in the war zones since the hardware is too costly and too much losses of such hardware might turn a profitable engagement into a loss making the adventure a no no from pentagons perspective – and that is why they won’t risk any such material and that’s why you reasonably seldom see the morons pegging the loss of a f35 or some such costly hardware – they just don’t risk ’em.",
    ),
    (
        "goingbrokes",
        "No doubt NGOs are lining up behind US policy and dishing out money for people to come to protests carrying pre-made flags and posters filmed by professional cameramen only to be shot at by unknown snipers who also shoot at the police leading to chaos and instability and huge anger that has no outlet because no one seems to know what happened. Meanwhile the legitimate government is replaced amid chaotic scenes that no one can make head or tail. Suddenly things calm down and US is welcome again! People look back and quietly say to themselves “WTF…”",
    ),
    (
        "FlorianGeyer",
        "Well analysed and very true.",
    ),
    (
        "EmilyEnso",
        "> sovereignty, independence, and clean government\n\nWhat utter hypocrisy. Clean government? The US government is about as dirty and corrupt as the worst on the planet. And if many commenters are correct – bought and paid for by a foreign power. So much for the sovereignty aspect. So the USA is back to the old game of mobilising sunni against the shia. Ain’t working any more as we are seeing in Syria. The Sunni are waking up. That they are being used and killed, to advance the interests of the USA and those that allegedly control it. That they are being conned into giving away their country, its interests and attacking fellow muslims and citizens. In Syria, Assad’s brave army is largely sunni – working side by side with shia to defend and regain their nation. Iraq needs to look no further. Allawi hasn’t – no wonder Washington wants rid.",
    ),
    (
        "Ashok Varma",
        "US has made a mess of everything.",
    ),
    (
        "Carlo s",
        "operation liberate iraq (from iraqis) 2.0",
    ),
];
