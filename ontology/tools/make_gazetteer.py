"""Generate ontology/gazetteer.yaml (the actor gazetteer) from the table below.

Run:  python ontology/tools/make_gazetteer.py  (writes ontology/gazetteer.yaml)

The YAML is the artefact (it is what flashpoint reads); this script only keeps
it consistent: ISO 3166-1 alpha-3 codes and official names are checked against
pycountry, ids are kebab-case and unique, every State has a Wikidata item.

Wikidata QIDs: only items whose identity is certain are given. State QIDs were
cross-checked against an independent ISO-3166-to-Wikidata table (Our World in
Data's countries-and-regions list) and against the dev gold files of the
corpus (Q30, Q145, Q801, Q851, Q794, Q878, Q805, Q822, Q79, Q846, Q858, Q423).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pycountry
import yaml

# id, label, wikidata, iso3, capital, aliases, demonyms
STATES = [
    ("afghanistan", "Afghanistan", "Q889", "AFG", "Kabul", ["Islamic Emirate of Afghanistan"], ["Afghan", "Afghans"]),
    ("albania", "Albania", "Q222", "ALB", "Tirana", [], ["Albanian", "Albanians"]),
    ("algeria", "Algeria", "Q262", "DZA", "Algiers", [], ["Algerian", "Algerians"]),
    ("angola", "Angola", "Q916", "AGO", "Luanda", [], ["Angolan", "Angolans"]),
    ("argentina", "Argentina", "Q414", "ARG", "Buenos Aires", [], ["Argentine", "Argentines", "Argentinian", "Argentinians"]),
    ("armenia", "Armenia", "Q399", "ARM", "Yerevan", [], ["Armenian", "Armenians"]),
    ("australia", "Australia", "Q408", "AUS", "Canberra", ["Commonwealth of Australia"], ["Australian", "Australians"]),
    ("austria", "Austria", "Q40", "AUT", "Vienna", [], ["Austrian", "Austrians"]),
    ("azerbaijan", "Azerbaijan", "Q227", "AZE", "Baku", [], ["Azerbaijani", "Azerbaijanis", "Azeri", "Azeris"]),
    ("bahrain", "Bahrain", "Q398", "BHR", "Manama", [], ["Bahraini", "Bahrainis"]),
    ("bangladesh", "Bangladesh", "Q902", "BGD", "Dhaka", [], ["Bangladeshi", "Bangladeshis"]),
    ("belarus", "Belarus", "Q184", "BLR", "Minsk", [], ["Belarusian", "Belarusians"]),
    ("belgium", "Belgium", "Q31", "BEL", "Brussels", [], ["Belgian", "Belgians"]),
    ("bolivia", "Bolivia", "Q750", "BOL", "Sucre", ["La Paz"], ["Bolivian", "Bolivians"]),
    ("bosnia-and-herzegovina", "Bosnia and Herzegovina", "Q225", "BIH", "Sarajevo", ["Bosnia"], ["Bosnian", "Bosnians"]),
    ("brazil", "Brazil", "Q155", "BRA", "Brasília", [], ["Brazilian", "Brazilians"]),
    ("bulgaria", "Bulgaria", "Q219", "BGR", "Sofia", [], ["Bulgarian", "Bulgarians"]),
    ("burkina-faso", "Burkina Faso", "Q965", "BFA", "Ouagadougou", [], ["Burkinabe"]),
    ("cambodia", "Cambodia", "Q424", "KHM", "Phnom Penh", [], ["Cambodian", "Cambodians"]),
    ("cameroon", "Cameroon", "Q1009", "CMR", "Yaoundé", [], ["Cameroonian", "Cameroonians"]),
    ("canada", "Canada", "Q16", "CAN", "Ottawa", [], ["Canadian", "Canadians"]),
    ("central-african-republic", "Central African Republic", "Q929", "CAF", "Bangui", [], ["Central African", "Central Africans"]),
    ("chad", "Chad", "Q657", "TCD", "N'Djamena", [], ["Chadian", "Chadians"]),
    ("chile", "Chile", "Q298", "CHL", "Santiago", [], ["Chilean", "Chileans"]),
    ("china", "China", "Q148", "CHN", "Beijing", ["People's Republic of China", "PRC", "P.R.C.", "mainland China"], ["Chinese"]),
    ("colombia", "Colombia", "Q739", "COL", "Bogotá", [], ["Colombian", "Colombians"]),
    ("croatia", "Croatia", "Q224", "HRV", "Zagreb", [], ["Croatian", "Croatians", "Croat", "Croats"]),
    ("cuba", "Cuba", "Q241", "CUB", "Havana", [], ["Cuban", "Cubans"]),
    ("cyprus", "Cyprus", "Q229", "CYP", "Nicosia", [], ["Cypriot", "Cypriots"]),
    ("czechia", "Czechia", "Q213", "CZE", "Prague", ["Czech Republic"], ["Czech", "Czechs"]),
    ("democratic-republic-of-the-congo", "Democratic Republic of the Congo", "Q974", "COD", "Kinshasa", ["DR Congo", "DRC", "Congo-Kinshasa"], ["Congolese"]),
    ("denmark", "Denmark", "Q35", "DNK", "Copenhagen", [], ["Danish", "Dane", "Danes"]),
    ("djibouti", "Djibouti", "Q977", "DJI", None, [], ["Djiboutian", "Djiboutians"]),
    ("egypt", "Egypt", "Q79", "EGY", "Cairo", ["Arab Republic of Egypt"], ["Egyptian", "Egyptians"]),
    ("eritrea", "Eritrea", "Q986", "ERI", "Asmara", [], ["Eritrean", "Eritreans"]),
    ("estonia", "Estonia", "Q191", "EST", "Tallinn", [], ["Estonian", "Estonians"]),
    ("ethiopia", "Ethiopia", "Q115", "ETH", "Addis Ababa", [], ["Ethiopian", "Ethiopians"]),
    ("finland", "Finland", "Q33", "FIN", "Helsinki", [], ["Finnish", "Finn", "Finns"]),
    ("france", "France", "Q142", "FRA", "Paris", ["French Republic"], ["French", "Frenchman", "Frenchmen"]),
    ("georgia", "Georgia", "Q230", "GEO", "Tbilisi", [], ["Georgian", "Georgians"]),
    ("germany", "Germany", "Q183", "DEU", "Berlin", ["Federal Republic of Germany"], ["German", "Germans"]),
    ("ghana", "Ghana", "Q117", "GHA", "Accra", [], ["Ghanaian", "Ghanaians"]),
    ("greece", "Greece", "Q41", "GRC", "Athens", ["Hellenic Republic"], ["Greek", "Greeks"]),
    ("hungary", "Hungary", "Q28", "HUN", "Budapest", [], ["Hungarian", "Hungarians"]),
    ("india", "India", "Q668", "IND", "New Delhi", ["Republic of India"], ["Indian", "Indians"]),
    ("indonesia", "Indonesia", "Q252", "IDN", "Jakarta", [], ["Indonesian", "Indonesians"]),
    ("iran", "Iran", "Q794", "IRN", "Tehran", ["Islamic Republic of Iran", "Persia"], ["Iranian", "Iranians"]),
    ("iraq", "Iraq", "Q796", "IRQ", "Baghdad", ["Republic of Iraq"], ["Iraqi", "Iraqis"]),
    ("ireland", "Ireland", "Q27", "IRL", "Dublin", ["Republic of Ireland"], ["Irish"]),
    ("israel", "Israel", "Q801", "ISR", "Jerusalem", ["State of Israel"], ["Israeli", "Israelis"]),
    ("italy", "Italy", "Q38", "ITA", "Rome", [], ["Italian", "Italians"]),
    ("japan", "Japan", "Q17", "JPN", "Tokyo", [], ["Japanese"]),
    ("jordan", "Jordan", "Q810", "JOR", "Amman", ["Hashemite Kingdom of Jordan"], ["Jordanian", "Jordanians"]),
    ("kazakhstan", "Kazakhstan", "Q232", "KAZ", "Astana", [], ["Kazakh", "Kazakhs", "Kazakhstani", "Kazakhstanis"]),
    ("kenya", "Kenya", "Q114", "KEN", "Nairobi", [], ["Kenyan", "Kenyans"]),
    ("kuwait", "Kuwait", "Q817", "KWT", "Kuwait City", [], ["Kuwaiti", "Kuwaitis"]),
    ("kyrgyzstan", "Kyrgyzstan", "Q813", "KGZ", "Bishkek", ["Kyrgyz Republic"], ["Kyrgyz"]),
    ("laos", "Laos", "Q819", "LAO", "Vientiane", ["Lao PDR"], ["Lao", "Laotian", "Laotians"]),
    ("latvia", "Latvia", "Q211", "LVA", "Riga", [], ["Latvian", "Latvians"]),
    ("lebanon", "Lebanon", "Q822", "LBN", "Beirut", ["Lebanese Republic"], ["Lebanese"]),
    ("libya", "Libya", "Q1016", "LBY", "Tripoli", [], ["Libyan", "Libyans"]),
    ("lithuania", "Lithuania", "Q37", "LTU", "Vilnius", [], ["Lithuanian", "Lithuanians"]),
    ("malaysia", "Malaysia", "Q833", "MYS", "Kuala Lumpur", ["Putrajaya"], ["Malaysian", "Malaysians"]),
    ("mali", "Mali", "Q912", "MLI", "Bamako", [], ["Malian", "Malians"]),
    ("mexico", "Mexico", "Q96", "MEX", "Mexico City", [], ["Mexican", "Mexicans"]),
    ("moldova", "Moldova", "Q217", "MDA", "Chișinău", ["Republic of Moldova", "Chisinau"], ["Moldovan", "Moldovans"]),
    ("mongolia", "Mongolia", "Q711", "MNG", "Ulaanbaatar", [], ["Mongolian", "Mongolians"]),
    ("montenegro", "Montenegro", "Q236", "MNE", "Podgorica", [], ["Montenegrin", "Montenegrins"]),
    ("morocco", "Morocco", "Q1028", "MAR", "Rabat", [], ["Moroccan", "Moroccans"]),
    ("mozambique", "Mozambique", "Q1029", "MOZ", "Maputo", [], ["Mozambican", "Mozambicans"]),
    ("myanmar", "Myanmar", "Q836", "MMR", "Naypyidaw", ["Burma"], ["Burmese"]),
    ("nepal", "Nepal", "Q837", "NPL", "Kathmandu", [], ["Nepali", "Nepalese"]),
    ("netherlands", "Netherlands", "Q55", "NLD", "Amsterdam", ["the Netherlands", "Holland", "The Hague"], ["Dutch"]),
    ("new-zealand", "New Zealand", "Q664", "NZL", "Wellington", [], ["New Zealander", "New Zealanders"]),
    ("nicaragua", "Nicaragua", "Q811", "NIC", "Managua", [], ["Nicaraguan", "Nicaraguans"]),
    ("niger", "Niger", "Q1032", "NER", "Niamey", [], ["Nigerien", "Nigeriens"]),
    ("nigeria", "Nigeria", "Q1033", "NGA", "Abuja", [], ["Nigerian", "Nigerians"]),
    ("north-korea", "North Korea", "Q423", "PRK", "Pyongyang", ["DPRK", "D.P.R.K.", "Democratic People's Republic of Korea"], ["North Korean", "North Koreans"]),
    ("north-macedonia", "North Macedonia", "Q221", "MKD", "Skopje", ["Macedonia"], ["Macedonian", "Macedonians"]),
    ("norway", "Norway", "Q20", "NOR", "Oslo", [], ["Norwegian", "Norwegians"]),
    ("oman", "Oman", "Q842", "OMN", "Muscat", ["Sultanate of Oman"], ["Omani", "Omanis"]),
    ("pakistan", "Pakistan", "Q843", "PAK", "Islamabad", ["Islamic Republic of Pakistan"], ["Pakistani", "Pakistanis"]),
    ("panama", "Panama", "Q804", "PAN", "Panama City", [], ["Panamanian", "Panamanians"]),
    ("peru", "Peru", "Q419", "PER", "Lima", [], ["Peruvian", "Peruvians"]),
    ("philippines", "Philippines", "Q928", "PHL", "Manila", ["the Philippines", "Republic of the Philippines"], ["Filipino", "Filipinos", "Philippine"]),
    ("poland", "Poland", "Q36", "POL", "Warsaw", ["Republic of Poland"], ["Polish", "Pole", "Poles"]),
    ("portugal", "Portugal", "Q45", "PRT", "Lisbon", [], ["Portuguese"]),
    ("qatar", "Qatar", "Q846", "QAT", "Doha", ["State of Qatar"], ["Qatari", "Qataris"]),
    ("romania", "Romania", "Q218", "ROU", "Bucharest", [], ["Romanian", "Romanians"]),
    ("russia", "Russia", "Q159", "RUS", "Moscow", ["Russian Federation"], ["Russian", "Russians"]),
    ("rwanda", "Rwanda", "Q1037", "RWA", "Kigali", [], ["Rwandan", "Rwandans"]),
    ("saudi-arabia", "Saudi Arabia", "Q851", "SAU", "Riyadh", ["Kingdom of Saudi Arabia", "KSA"], ["Saudi", "Saudis"]),
    ("serbia", "Serbia", "Q403", "SRB", "Belgrade", [], ["Serbian", "Serbians", "Serb", "Serbs"]),
    ("singapore", "Singapore", "Q334", "SGP", None, [], ["Singaporean", "Singaporeans"]),
    ("slovakia", "Slovakia", "Q214", "SVK", "Bratislava", ["Slovak Republic"], ["Slovak", "Slovaks"]),
    ("slovenia", "Slovenia", "Q215", "SVN", "Ljubljana", [], ["Slovenian", "Slovenians", "Slovene", "Slovenes"]),
    ("somalia", "Somalia", "Q1045", "SOM", "Mogadishu", [], ["Somali", "Somalis"]),
    ("south-africa", "South Africa", "Q258", "ZAF", "Pretoria", [], ["South African", "South Africans"]),
    ("south-korea", "South Korea", "Q884", "KOR", "Seoul", ["Republic of Korea", "ROK", "R.O.K."], ["South Korean", "South Koreans"]),
    ("south-sudan", "South Sudan", "Q958", "SSD", "Juba", [], ["South Sudanese"]),
    ("spain", "Spain", "Q29", "ESP", "Madrid", [], ["Spanish", "Spaniard", "Spaniards"]),
    ("sri-lanka", "Sri Lanka", "Q854", "LKA", "Colombo", [], ["Sri Lankan", "Sri Lankans"]),
    ("sudan", "Sudan", "Q1049", "SDN", "Khartoum", ["the Sudan"], ["Sudanese"]),
    ("sweden", "Sweden", "Q34", "SWE", "Stockholm", [], ["Swedish", "Swede", "Swedes"]),
    ("switzerland", "Switzerland", "Q39", "CHE", "Bern", ["Swiss Confederation"], ["Swiss"]),
    ("syria", "Syria", "Q858", "SYR", "Damascus", ["Syrian Arab Republic"], ["Syrian", "Syrians"]),
    ("taiwan", "Taiwan", "Q865", "TWN", "Taipei", ["Republic of China"], ["Taiwanese"]),
    ("tajikistan", "Tajikistan", "Q863", "TJK", "Dushanbe", [], ["Tajik", "Tajiks"]),
    ("thailand", "Thailand", "Q869", "THA", "Bangkok", [], ["Thai"]),
    ("tunisia", "Tunisia", "Q948", "TUN", "Tunis", [], ["Tunisian", "Tunisians"]),
    ("turkey", "Turkey", "Q43", "TUR", "Ankara", ["Türkiye", "Turkiye", "Republic of Türkiye"], ["Turkish", "Turk", "Turks"]),
    ("turkmenistan", "Turkmenistan", "Q874", "TKM", "Ashgabat", [], ["Turkmen"]),
    ("uganda", "Uganda", "Q1036", "UGA", "Kampala", [], ["Ugandan", "Ugandans"]),
    ("ukraine", "Ukraine", "Q212", "UKR", "Kyiv", ["Kiev"], ["Ukrainian", "Ukrainians"]),
    ("united-arab-emirates", "United Arab Emirates", "Q878", "ARE", "Abu Dhabi", ["UAE", "U.A.E.", "the Emirates"], ["Emirati", "Emiratis"]),
    ("united-kingdom", "United Kingdom", "Q145", "GBR", "London", ["U.K.", "UK", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"], ["British", "Briton", "Britons"]),
    ("united-states", "United States", "Q30", "USA", "Washington", ["U.S.", "US", "U.S.A.", "USA", "United States of America", "America"], ["American", "Americans"]),
    ("uzbekistan", "Uzbekistan", "Q265", "UZB", "Tashkent", [], ["Uzbek", "Uzbeks"]),
    ("venezuela", "Venezuela", "Q717", "VEN", "Caracas", ["Bolivarian Republic of Venezuela"], ["Venezuelan", "Venezuelans"]),
    ("vietnam", "Vietnam", "Q881", "VNM", "Hanoi", ["Viet Nam"], ["Vietnamese"]),
    ("yemen", "Yemen", "Q805", "YEM", None, ["Republic of Yemen"], ["Yemeni", "Yemenis"]),
    ("zimbabwe", "Zimbabwe", "Q954", "ZWE", "Harare", [], ["Zimbabwean", "Zimbabweans"]),
    # added 2026-11-25 to complete the Americas, Europe and Asia-Pacific
    ("guyana", "Guyana", "Q734", "GUY", "Georgetown", ["Co-operative Republic of Guyana"], ["Guyanese"]),
    ("ecuador", "Ecuador", "Q736", "ECU", "Quito", [], ["Ecuadorian", "Ecuadorians"]),
    ("paraguay", "Paraguay", "Q733", "PRY", "Asunción", [], ["Paraguayan", "Paraguayans"]),
    ("uruguay", "Uruguay", "Q77", "URY", "Montevideo", [], ["Uruguayan", "Uruguayans"]),
    ("haiti", "Haiti", "Q790", "HTI", "Port-au-Prince", [], ["Haitian", "Haitians"]),
    ("iceland", "Iceland", "Q189", "ISL", "Reykjavik", [], ["Icelandic", "Icelanders"]),
    ("luxembourg", "Luxembourg", "Q32", "LUX", None, [], ["Luxembourgish"]),
    ("malta", "Malta", "Q233", "MLT", "Valletta", [], ["Maltese"]),
    ("burundi", "Burundi", "Q967", "BDI", "Gitega", ["Bujumbura"], ["Burundian", "Burundians"]),
    ("brunei", "Brunei", "Q921", "BRN", "Bandar Seri Begawan", ["Brunei Darussalam"], ["Bruneian"]),
    ("fiji", "Fiji", "Q712", "FJI", "Suva", [], ["Fijian", "Fijians"]),
    ("papua-new-guinea", "Papua New Guinea", "Q691", "PNG", "Port Moresby", ["PNG"], []),
    ("timor-leste", "Timor-Leste", "Q574", "TLS", "Dili", ["East Timor"], ["Timorese"]),
    # the remaining UN member states and Palestine (added 2026-12-07; QIDs from an ISO 3166-1
    # alpha-2 to Wikidata table, checked to agree with every QID above)
    ("andorra", "Andorra", "Q228", "AND", "Andorra la Vella", [], ["Andorran", "Andorrans"]),
    ('antigua-and-barbuda', 'Antigua and Barbuda', 'Q781', 'ATG', "St. John's", ['Antigua'], ['Antiguan', 'Antiguans']),
    ('bahamas', 'Bahamas', 'Q778', 'BHS', 'Nassau', ['The Bahamas'], ['Bahamian', 'Bahamians']),
    ("barbados", "Barbados", "Q244", "BRB", "Bridgetown", [], ["Barbadian", "Barbadians", "Bajan"]),
    ("belize", "Belize", "Q242", "BLZ", "Belmopan", [], ["Belizean", "Belizeans"]),
    ("benin", "Benin", "Q962", "BEN", "Porto-Novo", ["Cotonou"], ["Beninese"]),
    ("bhutan", "Bhutan", "Q917", "BTN", "Thimphu", [], ["Bhutanese"]),
    ("botswana", "Botswana", "Q963", "BWA", "Gaborone", [], ["Motswana", "Batswana"]),
    ('cabo-verde', 'Cabo Verde', 'Q1011', 'CPV', 'Praia', ['Cape Verde'], ['Cape Verdean', 'Cape Verdeans']),
    ("comoros", "Comoros", "Q970", "COM", "Moroni", [], ["Comorian", "Comorians"]),
    ("costa-rica", "Costa Rica", "Q800", "CRI", "San José", [], ["Costa Rican", "Costa Ricans"]),
    ('cote-d-ivoire', "Côte d'Ivoire", 'Q1008', 'CIV', 'Yamoussoukro', ['Ivory Coast', "Cote d'Ivoire", 'Abidjan'], ['Ivorian', 'Ivorians']),
    ("dominica", "Dominica", "Q784", "DMA", "Roseau", [], []),
    ("dominican-republic", "Dominican Republic", "Q786", "DOM", "Santo Domingo", [], ["Dominican", "Dominicans"]),
    ("el-salvador", "El Salvador", "Q792", "SLV", "San Salvador", [], ["Salvadoran", "Salvadorans"]),
    ("equatorial-guinea", "Equatorial Guinea", "Q983", "GNQ", "Malabo", [], ["Equatoguinean"]),
    ('eswatini', 'Eswatini', 'Q1050', 'SWZ', 'Mbabane', ['Swaziland'], ['Swazi', 'Swazis']),
    ("gabon", "Gabon", "Q1000", "GAB", "Libreville", [], ["Gabonese"]),
    ('gambia', 'Gambia', 'Q1005', 'GMB', 'Banjul', ['The Gambia'], ['Gambian', 'Gambians']),
    ('grenada', 'Grenada', 'Q769', 'GRD', None, [], ['Grenadian', 'Grenadians']),
    ("guatemala", "Guatemala", "Q774", "GTM", "Guatemala City", [], ["Guatemalan", "Guatemalans"]),
    ('guinea', 'Guinea', 'Q1006', 'GIN', 'Conakry', ['Guinea-Conakry'], ['Guinean', 'Guineans']),
    ("guinea-bissau", "Guinea-Bissau", "Q1007", "GNB", "Bissau", [], ["Bissau-Guinean"]),
    ('holy-see', 'Holy See', 'Q237', 'VAT', None, ['Vatican', 'Vatican City'], []),
    ("honduras", "Honduras", "Q783", "HND", "Tegucigalpa", [], ["Honduran", "Hondurans"]),
    ("jamaica", "Jamaica", "Q766", "JAM", "Kingston", [], ["Jamaican", "Jamaicans"]),
    ("kiribati", "Kiribati", "Q710", "KIR", "Tarawa", [], ["I-Kiribati"]),
    ("lesotho", "Lesotho", "Q1013", "LSO", "Maseru", [], ["Basotho", "Mosotho"]),
    ("liberia", "Liberia", "Q1014", "LBR", "Monrovia", [], ["Liberian", "Liberians"]),
    ("liechtenstein", "Liechtenstein", "Q347", "LIE", "Vaduz", [], ["Liechtensteiner"]),
    ("madagascar", "Madagascar", "Q1019", "MDG", "Antananarivo", [], ["Malagasy"]),
    ("malawi", "Malawi", "Q1020", "MWI", "Lilongwe", [], ["Malawian", "Malawians"]),
    ('maldives', 'Maldives', 'Q826', 'MDV', 'Malé', ['the Maldives'], ['Maldivian', 'Maldivians']),
    ("marshall-islands", "Marshall Islands", "Q709", "MHL", "Majuro", [], ["Marshallese"]),
    ("mauritania", "Mauritania", "Q1025", "MRT", "Nouakchott", [], ["Mauritanian", "Mauritanians"]),
    ("mauritius", "Mauritius", "Q1027", "MUS", "Port Louis", [], ["Mauritian", "Mauritians"]),
    ('micronesia', 'Micronesia', 'Q702', 'FSM', 'Palikir', ['Federated States of Micronesia'], ['Micronesian']),
    ("monaco", "Monaco", "Q235", "MCO", None, [], ["Monegasque"]),
    ("namibia", "Namibia", "Q1030", "NAM", "Windhoek", [], ["Namibian", "Namibians"]),
    ("nauru", "Nauru", "Q697", "NRU", None, [], ["Nauruan"]),
    ("palau", "Palau", "Q695", "PLW", "Ngerulmud", [], ["Palauan"]),
    ('republic-of-the-congo', 'Republic of the Congo', 'Q971', 'COG', 'Brazzaville', ['Congo-Brazzaville', 'Congo Republic'], []),
    ('saint-kitts-and-nevis', 'Saint Kitts and Nevis', 'Q763', 'KNA', 'Basseterre', ['St Kitts and Nevis'], []),
    ('saint-lucia', 'Saint Lucia', 'Q760', 'LCA', 'Castries', ['St Lucia'], ['Saint Lucian']),
    ('saint-vincent-and-the-grenadines', 'Saint Vincent and the Grenadines', 'Q757', 'VCT', 'Kingstown', ['St Vincent and the Grenadines'], ['Vincentian']),
    ("samoa", "Samoa", "Q683", "WSM", "Apia", [], ["Samoan", "Samoans"]),
    ("san-marino", "San Marino", "Q238", "SMR", None, [], ["Sammarinese"]),
    ('sao-tome-and-principe', 'São Tomé and Príncipe', 'Q1039', 'STP', 'São Tomé', ['Sao Tome and Principe'], []),
    ("senegal", "Senegal", "Q1041", "SEN", "Dakar", [], ["Senegalese"]),
    ("seychelles", "Seychelles", "Q1042", "SYC", None, [], ["Seychellois"]),
    ("sierra-leone", "Sierra Leone", "Q1044", "SLE", "Freetown", [], ["Sierra Leonean", "Sierra Leoneans"]),
    ("solomon-islands", "Solomon Islands", "Q685", "SLB", "Honiara", [], ["Solomon Islander", "Solomon Islanders"]),
    ("suriname", "Suriname", "Q730", "SUR", "Paramaribo", [], ["Surinamese"]),
    ('tanzania', 'Tanzania', 'Q924', 'TZA', 'Dodoma', ['United Republic of Tanzania', 'Dar es Salaam'], ['Tanzanian', 'Tanzanians']),
    ("togo", "Togo", "Q945", "TGO", "Lomé", [], ["Togolese"]),
    ('tonga', 'Tonga', 'Q678', 'TON', "Nuku'alofa", [], ['Tongan', 'Tongans']),
    ('trinidad-and-tobago', 'Trinidad and Tobago', 'Q754', 'TTO', 'Port of Spain', ['Trinidad'], ['Trinidadian', 'Trinidadians']),
    ("tuvalu", "Tuvalu", "Q672", "TUV", "Funafuti", [], ["Tuvaluan"]),
    ("vanuatu", "Vanuatu", "Q686", "VUT", "Port Vila", [], ["Ni-Vanuatu"]),
    ("zambia", "Zambia", "Q953", "ZMB", "Lusaka", [], ["Zambian", "Zambians"]),
    ("palestine", "Palestine", "Q219060", "PSE", None, ["State of Palestine", "Palestinian Authority"], ["Palestinian", "Palestinians"]),
    # recognised by about half the UN's members; not in ISO 3166-1, so the user-assigned code the
    # EU and the IMF use (XKX; codes XAA-XZZ are reserved for user assignment)
    ("kosovo", "Kosovo", "Q1246", "XKX", "Pristina", ["Republic of Kosovo"], ["Kosovar", "Kosovars"]),
]

# Capitals deliberately left out (None above): Yemen (Sanaa has been held by
# the Houthis since 2014, so "Sanaa" does not stand for Yemen's recognized
# government), Djibouti and Singapore (the capital has the country's name).
# Where the seat of government or the city prose names is not the capital, it is an alias
# ("Bujumbura", "Abidjan", "Dar es Salaam", "La Paz", "The Hague", "Cotonou", "Putrajaya").

# id, class, label, wikidata or None, aliases
OTHERS = [
    ("united-nations", "InternationalOrganization", "United Nations", "Q1065", ["UN", "U.N.", "the UN", "the U.N."]),
    ("un-security-council", "InternationalOrganization", "UN Security Council", "Q37470",
     ["United Nations Security Council", "U.N. Security Council", "UN Security Council", "UNSC", "Security Council"]),
    ("nato", "InternationalOrganization", "NATO", "Q7184", ["North Atlantic Treaty Organization", "N.A.T.O.", "Atlantic Alliance", "North Atlantic Council"]),
    ("european-union", "InternationalOrganization", "European Union", "Q458", ["EU", "E.U.", "the EU"]),
    ("iaea", "InternationalOrganization", "IAEA", None, ["International Atomic Energy Agency", "U.N. nuclear watchdog", "UN nuclear watchdog"]),
    ("african-union", "InternationalOrganization", "African Union", "Q7159", ["AU"]),
    ("arab-league", "InternationalOrganization", "Arab League", None, ["League of Arab States"]),
    ("asean", "InternationalOrganization", "ASEAN", "Q7768", ["Association of Southeast Asian Nations"]),
    ("ecowas", "InternationalOrganization", "ECOWAS", None, ["Economic Community of West African States"]),
    ("sadc", "InternationalOrganization", "SADC", None, ["Southern African Development Community"]),
    ("east-african-community", "InternationalOrganization", "East African Community", None, ["EAC"]),
    ("igad", "InternationalOrganization", "IGAD", None, ["Intergovernmental Authority on Development"]),
    ("organization-of-american-states", "InternationalOrganization", "Organization of American States", None, ["OAS"]),
    ("caricom", "InternationalOrganization", "CARICOM", None, ["Caribbean Community"]),
    ("alliance-of-sahel-states", "InternationalOrganization", "Alliance of Sahel States", None, ["AES", "Confederation of Sahel States"]),
    ("gulf-cooperation-council", "InternationalOrganization", "Gulf Cooperation Council", None, ["GCC", "Cooperation Council for the Arab States of the Gulf"]),
    ("houthis", "NonStateArmedGroup", "Houthis", None, ["Houthi", "Houthi movement", "Houthi rebels", "Ansar Allah", "Ansarallah"]),
    ("hezbollah", "NonStateArmedGroup", "Hezbollah", None, ["Hizbollah", "Hizballah", "Hizbullah"]),
    ("hamas", "NonStateArmedGroup", "Hamas", None, ["Islamic Resistance Movement"]),
    ("iraqi-militias", "NonStateArmedGroup", "Iraqi militias", None, ["Iraqi militia", "Iraqi Shiite militias", "Islamic Resistance in Iraq"]),
    ("islamic-state", "NonStateArmedGroup", "Islamic State", None, ["ISIS", "ISIL", "Daesh", "Islamic State of Iraq and Syria", "Islamic State of Iraq and the Levant"]),
    ("taliban", "NonStateArmedGroup", "Taliban", None, ["the Taliban"]),
    ("al-qaeda", "NonStateArmedGroup", "al-Qaeda", None, ["Al-Qaeda", "al Qaeda", "Al Qaeda", "al-Qaida"]),
    ("al-shabaab", "NonStateArmedGroup", "al-Shabaab", None, ["Al-Shabaab", "al Shabaab"]),
    ("boko-haram", "NonStateArmedGroup", "Boko Haram", None, []),
    ("wagner-group", "NonStateArmedGroup", "Wagner Group", None, ["Wagner", "Africa Corps"]),
    ("pkk", "NonStateArmedGroup", "PKK", None, ["Kurdistan Workers' Party"]),
    ("lashkar-e-taiba", "NonStateArmedGroup", "Lashkar-e-Taiba", None, ["Lashkar-e-Toiba"]),
    ("jaish-e-mohammed", "NonStateArmedGroup", "Jaish-e-Mohammed", None, ["JeM", "Jaish-e-Muhammad"]),
    ("palestinian-islamic-jihad", "NonStateArmedGroup", "Palestinian Islamic Jihad", None, ["Islamic Jihad", "PIJ"]),
    ("hayat-tahrir-al-sham", "NonStateArmedGroup", "Hayat Tahrir al-Sham", None, ["HTS", "Hay'at Tahrir al-Sham"]),
    ("tplf", "NonStateArmedGroup", "TPLF", None, ["Tigray People's Liberation Front", "Tigrayan forces", "Tigray Defense Forces"]),
    ("osce", "InternationalOrganization", "OSCE", None, ["Organization for Security and Co-operation in Europe"]),
    ("g7", "InternationalOrganization", "G7", None, ["Group of Seven", "G-7"]),
    ("shanghai-cooperation-organisation", "InternationalOrganization", "Shanghai Cooperation Organisation", None, ["SCO", "Shanghai Cooperation Organization"]),
    ("csto", "InternationalOrganization", "CSTO", None, ["Collective Security Treaty Organization"]),
    ("international-community", "ActorGroup", "international community", None, ["the international community", "world powers"]),
]

HEADER = """\
# flashpoint actor gazetteer (format: see src/flashpoint/gazetteer.py)
#
# Each actor becomes fpid:actor/<id> (https://w3id.org/flashpoint/id/actor/<id>)
# with rdf:type fp:<class>, rdfs:label "<label>"@en, its aliases, demonyms and
# capital as skos:altLabel, and its Wikidata item as skos:exactMatch wd:<QID>.
#
#   id        kebab-case of the common English short name (never change an id:
#             it is part of every IRI built from it)
#   class     State | InternationalOrganization | NonStateArmedGroup | ActorGroup
#   label     the common English short name
#   wikidata  the Wikidata item; given ONLY where the item is certain. Every
#             State has one (the vocabulary finds states by their item). State
#             QIDs were cross-checked against an independent ISO 3166 to
#             Wikidata table and against the corpus's gold files. Organizations
#             and armed groups without a key here have no verified item yet.
#   iso3      ISO 3166-1 alpha-3 code (states only; checked with pycountry)
#   aliases   other names news prose uses ("U.S.", "Britain", "DPRK", ...)
#   demonyms  adjectives and nouns for the people ("Iranian", "Saudis", ...)
#   capital   states only; used as a metonym for the state ("Pyongyang said").
#             Left out where it would mislead (Yemen: Sanaa is Houthi-held).
#
# Generated by ontology/tools/make_gazetteer.py; edit the table there and
# re-run it, or edit this file by hand and keep the two in step.
"""

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# ISO 3166-1 reserves alpha-3 codes XAA-XZZ for user assignment (Kosovo: XKX)
USER_ASSIGNED = re.compile(r"^X[A-Z]{2}$")


# ISO names that news prose uses for another state ("Congo" is nearly always the DRC)
NOT_ALIASES = {"Congo"}


def _clean(name: str | None) -> str | None:
    if not name or "," in name or "(" in name or name in NOT_ALIASES:
        return None
    return name


def build() -> list[dict]:
    actors: list[dict] = []
    for sid, label, qid, iso3, capital, aliases, demonyms in STATES:
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None and not USER_ASSIGNED.match(iso3):
            sys.exit(f"{sid}: unknown ISO 3166 alpha-3 code {iso3}")
        extra = [
            _clean(getattr(country, attr, None))
            for attr in ("name", "common_name", "official_name")
        ] if country is not None else []
        seen = {label.casefold()}
        alias_list: list[str] = []
        for alias in [*aliases, *extra]:
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                alias_list.append(alias)
        entry = {"id": sid, "class": "State", "label": label, "wikidata": qid, "iso3": iso3}
        if alias_list:
            entry["aliases"] = alias_list
        if demonyms:
            entry["demonyms"] = list(demonyms)
        if capital:
            entry["capital"] = capital
        actors.append(entry)
    for oid, cls, label, qid, aliases in OTHERS:
        entry = {"id": oid, "class": cls, "label": label}
        if qid:
            entry["wikidata"] = qid
        alias_list = [a for a in aliases if a.casefold() != label.casefold()]
        if alias_list:
            entry["aliases"] = alias_list
        actors.append(entry)

    ids = [a["id"] for a in actors]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(KEBAB.match(i) for i in ids), "ids must be kebab-case"
    qids = [a["wikidata"] for a in actors if "wikidata" in a]
    assert len(qids) == len(set(qids)), "duplicate QIDs"
    labels = [a["label"] for a in actors]
    assert len(labels) == len(set(labels)), "duplicate labels"
    return actors


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "gazetteer.yaml"
    actors = build()
    body = yaml.safe_dump({"actors": actors}, sort_keys=False, allow_unicode=True, width=120)
    out.write_text(HEADER + "\n" + body, encoding="utf-8")
    print(f"wrote {out}: {len(actors)} actors, {sum(a['class'] == 'State' for a in actors)} states")


if __name__ == "__main__":
    main()
