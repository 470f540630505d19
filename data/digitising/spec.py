# ruff: noqa: C408, D103  -- a data file: dict(...) reads better than literals here
"""Declarative digitising spec: every dated state of every layer, as anchored front lines.

Read by ``scripts/digitise.py`` (``.venv/bin/python scripts/digitise.py``), which writes
``data/layers/*.geojson``. Nothing here is traced from any other mapper's geometry: each
front line is built from published facts (which settlements were held, lost or claimed on
a date, published depths and areas) and tuned until its geodesic area matches the figures
in /work/shared/reference/public-figures.md.

Vertex forms (lon/lat, WGS84):

- ``("Sudzha",)``               the gazetteer position of a settlement;
- ``("Sudzha", 300, 4.5)``      from that settlement, bearing 300° (clockwise from north),
                                4.5 km along the WGS84 geodesic (pyproj.Geod.fwd);
- ``(35.10, 51.215, "why")``   an explicit lon/lat, with the reason no settlement fits.

A part is ``(closing, [vertices...])``: the front line runs from a point in the other
country, round the held ground, back into the other country; the ring is closed along
``CLOSINGS[closing]["path"]`` (which must stay inside that other country: the script
checks it) and then intersected with the shipped polygon of ``CLOSINGS[closing]["clip"]``.
So every Kursk polygon follows the shipped Russia-Ukraine border and every Sumy polygon
lies inside Ukraine.

Tracks: each track is one layer + status; its states chain (``valid_to`` = the next
state's date) unless a state sets ``until``. ``parts="@track"`` reuses the geometry of
another track in force on the same date; ``minus=[track, ...]`` subtracts other tracks;
``retreat=True`` keeps the state inside the track's previous state (for dates on which the
sources report only losses: independently placed vertices must not show as a gain), and
``advance=True`` keeps all of the previous state (only gains reported).
"""

# Gazetteer spellings differ from the transliteration used in the sources.
ALIASES = {
    "Guevo": "Guyevo",
    "Tyotkino": "Tëtkino",
    "Bolshoe Soldatskoe": "Bol’shoye Soldatskoye",
}

# ---------------------------------------------------------------------------------------
# Closing paths. Each lies wholly inside the "through" country; the ring is clipped to
# the "clip" country, so the closing path itself never appears in the output.
# ---------------------------------------------------------------------------------------
CLOSINGS = {
    # Whole Sudzha salient: from the Ukrainian tongue SE of Plekhovo round to the Sumy
    # oblast side of the Korenevo-district border.
    "kursk": dict(clip="RUS", through="UKR",
                  path=[(35.37, 51.03), (35.30, 51.03), (35.20, 51.02), (35.05, 51.05),
                        (34.93, 51.15)]),
    # Fronts whose eastern end comes back to the border west of Plekhovo.
    "kursk_mid": dict(clip="RUS", through="UKR",
                      path=[(35.28, 51.03), (35.20, 51.02), (35.05, 51.05), (34.93, 51.15)]),
    # Fronts that end at the border near Gornal.
    # Fronts on the western (Korenevo-district) flank only.
    "kursk_nw": dict(clip="RUS", through="UKR",
                     path=[(35.0, 51.17), (34.93, 51.15)]),
    # Tyotkino salient: closed through Sumy oblast south of the town.
    "tyotkino": dict(clip="RUS", through="UKR",
                     path=[(34.32, 51.225), (34.26, 51.235)]),
    "kursk_w": dict(clip="RUS", through="UKR",
                    path=[(35.20, 51.02), (35.05, 51.05), (35.0, 51.16)]),
    # Glushkovo district (Veseloe / Novy Put, Tyotkino): closed through Sumy oblast.
    "glushkovo": dict(clip="RUS", through="UKR",
                      path=[(34.55, 51.20), (34.40, 51.22), (34.26, 51.23)]),
    # Sumy oblast zone: closed through Kursk oblast, clipped to Ukraine.
    "sumy": dict(clip="UKR", through="RUS",
                 path=[(35.20, 51.12), (35.20, 51.25), (35.00, 51.27), (34.70, 51.27)]),
}

# ---------------------------------------------------------------------------------------
# Sources (public-figures.md sections A-D and the two seed articles).
# ---------------------------------------------------------------------------------------
def _s(claim_maker, outlet, date, figure=None, **extra):
    return dict(claim_maker=claim_maker, outlet=outlet, date=date, figure=figure, **extra)


SEED000 = "seed 000_771a59e63d43b9e6.txt"
SEED002 = "seed 002_06a881ff5254c041.txt"

SOURCES = {
    "seed002_incursion": _s("(event)", SEED002, "2024-08-06", None),
    "seed002_1300": _s("Syrskyi (as reported)", SEED002, "2024-09-15", "nearly 1,300 km²",
                       note="article dates it 'by September'"),
    "seed002_two_thirds": _s("(article)", SEED002, "2025-02-15", "about two-thirds retaken",
                             note="article dates it 'by February 2025'"),
    "seed002_pipeline": _s("(article)", SEED002, "2025-03-08", "15 km; 600 soldiers"),
    "seed002_sumy": _s("Gerasimov", SEED002, "2025-04-19", ">90 km²"),
    "seed000_full": _s("Putin / Gerasimov", SEED000, "2025-04-26", "full control (claim)"),
    "seed000_ua": _s("Ukrainian General Staff", SEED000, "2025-04-26", None,
                     note="battles ongoing, positions held"),
    "smirnov_0812": _s("Smirnov, acting Kursk governor", "adnkronos; e-news24.ru", "2024-08-12",
                       "12 km deep, ~40 km front, 28 settlements"),
    "syrskyi_0812": _s("Syrskyi", "Ukrinform via menafn 1108546804; rbc.ua", "2024-08-12",
                       "~1,000 km²"),
    "deepstate_0812": _s("DeepState", "speakernews.com.ua", "2024-08-12", "~44 settlements"),
    "agentstvo_0812": _s("Agentstvo (Russian MoD data)", "war.telegraf.com.ua", "2024-08-12",
                         "~1,050 km²"),
    "afp_0812": _s("AFP analysis of ISW data", "broadcastunited.com", "2024-08-12", "800 km²"),
    "syrskyi_0813": _s("Syrskyi / Zelensky", "euromaidanpress 2024-08-13", "2024-08-13",
                       "74 settlements; +40 km²"),
    "syrskyi_0815": _s("Syrskyi", "IANS via sakshipost", "2024-08-15", ">1,150 km²"),
    "ua_sudzha_0815": _s("Ukraine", "widely reported", "2024-08-15", None,
                         note="Sudzha taken, commandant's office"),
    "zelensky_0819": _s("Zelensky", "uawire; euromaidanpress 2024-08-20", "2024-08-19",
                        ">1,250 km²"),
    "syrskyi_0820": _s("Syrskyi", "Ukrinform via menafn 1108581576", "2024-08-20",
                       "1,263 km²; 28-35 km deep"),
    "syrskyi_0827": _s("Syrskyi", "kyivindependent; unn.ua", "2024-08-27",
                       "1,294 km²; 100 settlements"),
    "syrskyi_0830": _s("Syrskyi", "kyivindependent", "2024-08-30", "+5 km²"),
    "snagost_0910": _s("DeepState, ISW", "politico.eu", "2024-09-10", None,
                       note="counter-attack reaches Snagost"),
    "forbes_0912": _s("Forbes", "novinite 228351", "2024-09-12", "~30 km west",
                      note="breach near Novy Put, outskirts of Veseloe"),
    "rumod_0913": _s("Russian MoD", "pledgetimes", "2024-09-13", "10 villages in 2 days"),
    "ukmod_0915": _s("UK MoD", "menafn 1108675592", "2024-09-15", "~800-900 km²"),
    "bloomberg_1010": _s("Kyiv via Bloomberg", "themoscowtimes a86638", "2024-10-10",
                         "~1,300 km²; Russia: ~12 villages retaken"),
    "deepstate_1015": _s("DeepState via Newsweek", "live2news", "2024-10-15",
                         "~1/4 lost of ~906 km² peak"),
    "reuters_1123": _s("Reuters, Ukrainian General Staff source",
                       "pravda.com.ua 2024/11/23/7486026", "2024-11-23",
                       "~800 km² (peak ~1,376 km²)"),
    "ukmod_1215": _s("UK MoD", "pledgetimes", "2024-12-15", "~480 km²",
                     note="month only (December 2024)"),
    "ap_1229": _s("AP", "mid-day.com", "2024-12-29", ">40% lost of 984 km²"),
    "ua_0105": _s("Ukraine", "euromaidanpress 2025-01-05", "2025-01-05", None,
                  note="push toward Berdin - Bolshoe Soldatskoe"),
    "deepstate_0115": _s("DeepState", "morningexpress.in", "2025-01-15", "~420 km²"),
    "isw_0115": _s("ISW", "dagens.com", "2025-01-15", "442 km²", note="month only (January)"),
    "rumod_0117": _s("Russian MoD", "dailysabah", "2025-01-17", "801 km² = 63.2% retaken"),
    "isw_0206": _s("ISW", "devdiscourse 3255253", "2025-02-06", "up to 5 km SE of Sudzha"),
    "syrskyi_0214": _s("Syrskyi", "euromaidanpress 2025-02-14", "2025-02-14", "~500 km²"),
    "rudskoi_0220": _s("Rudskoi (Russian General Staff)", "themoscowtimes a88089; kyivindependent",
                       "2025-02-20", ">800 km² retaken (~64%); ~500 of 1,268 left"),
    "rumod_0308": _s("Russian MoD", "gamereactor", "2025-03-08", None,
                     note="Viktorovka, Nikolaevka, Staraya Sorochina retaken"),
    "rumod_0309": _s("Russian MoD via Reuters", "devdiscourse 3301128", "2025-03-09", None,
                     note="Lebedevka retaken; Novenke (Sumy) seized"),
    "rumod_0309b": _s("Russian MoD", "sofx.com", "2025-03-09", "~12 km from Sudzha centre"),
    "rferl_0310": _s("RFE/RL", "bignewsnetwork", "2025-03-10", "within 5 km of the N07 road",
                     note="Guevo cut off"),
    "gerasimov_0312": _s("Gerasimov", "themoscowtimes a88338", "2025-03-12",
                         "259 km² and 24 settlements in 5 days; >1,100 km² regained"),
    "rumod_0313": _s("Russian MoD", "themoscowtimes a88341", "2025-03-13", None,
                     note="Sudzha, Melovoy, Podol taken"),
    "deepstate_0313": _s("DeepState", "themoscowtimes a88341; pravda.com.ua 2025/03/13/7502688",
                         "2025-03-13", "140 km²"),
    "reuters_0316": _s("Reuters", "reuters 2025-03-16 via nexusnews", "2025-03-16",
                       "~110 km² in two pockets"),
    "bbg_0316": _s("Black Bird Group via NYT", "nytimes 2025/03/16 via newsforall",
                   "2025-03-16", "~30 sq mi (~77 km²)"),
    "ua_0316": _s("Ukraine General Staff", "sofx.com", "2025-03-16", None,
                  note="withdrawal from Sudzha"),
    "romanenko_0401": _s("Romanenko (retired Lt Gen)", "news.online.ua 892161", "2025-04-01",
                         "~90 km²"),
    "deepstate_0406": _s("DeepState via Reuters", "hindustantimes 101743957957690",
                         "2025-04-06", "~63 km² held + 81 km² unknown"),
    "gerasimov_0419": _s("Gerasimov", "theclickspot; apostrophe.ua", "2025-04-19",
                         "~3 km² left near Oleshnya and Gornal"),
    "gerasimov_0426": _s("Gerasimov", "trtworld; anews", "2025-04-26", None,
                         note="Gornal the last settlement; Kursk fully retaken"),
    "uags_0426": _s("Ukraine General Staff", "ISW copy; wionews", "2025-04-26", None,
                    note="positions still held in certain areas"),
    "deepstate_0426": _s("DeepState via online.ua", "news.online.ua 892896", "2025-04-26",
                         "~30 km²"),
    "tyotkino_0505": _s("geolocated footage", "wiki mirror '2025 Tyotkino incursion'",
                        "2025-05-05", None, note="push into Tyotkino 5-10 May"),
    "syrskyi_0622": _s("Syrskyi", "pravda.com.ua 2025/06/22/7518200", "2025-06-22",
                       "~90 km² in Glushkovo district"),
    "pipeline_c": _s("Podolyaka via Reuters; TASS; RIA; Rossiyskaya Gazeta; Le Monde",
                     "public-figures.md section C", "2025-03-08", "12-16 km"),
    # Sumy oblast
    "rumod_novenke": _s("Russian MoD", "themoscowtimes a88624", "2025-03-08", None,
                        note="Novenke claimed (month only: early March)"),
    "rumod_basivka": _s("Russian MoD; Kovalenko", "hindustantimes", "2025-04-06", None,
                        note="Basivka claimed; Ukraine denies"),
    "isw_0410": _s("ISW", "pravda.com.ua 2025/04/10/7506857", "2025-04-10", None,
                   note="gains along Volodymyrivka-Zhuravka-Novenke"),
    "gerasimov_sumy_0426": _s("Gerasimov", "sumynews.ru; RIA via sila-rf.ru", "2025-04-26",
                              ">90 km², 4 settlements"),
    "deepstate_0429": _s("Hryhorov; DeepState", "Reuters via socastsrm; devdiscourse 3363675",
                         "2025-04-29", "~52 km² contested"),
    "deepstate_0502": _s("DeepState", "themoscowtimes a88954", "2025-05-02", "82 km²"),
    "deepstate_0523": _s("DeepState", "uawire", "2025-05-23", "65 km² occupied"),
    "hryhorov_0526": _s("Hryhorov", "pravda.com.ua 2025/05/26/7514204", "2025-05-26", None,
                        note="Novenke, Basivka, Veselivka, Zhuravka under enemy control"),
    "deepstate_0601": _s("DeepState", "uawire", "2025-06-01", "124.68 km² occupied"),
    "zelensky_0528": _s("Zelensky", "themoscowtimes a89245", "2025-05-28", "~10 km deep buffer"),
    "shevtsov_0602": _s("Shevtsov (Ukrainian unit)", "uawire", "2025-06-02",
                        "~15 km wide x 6-7 km deep"),
    "gerasimov_0830": _s("Gerasimov", "kommersant 8005843", "2025-08-30",
                         "210 km², 13 settlements"),
}

# ---------------------------------------------------------------------------------------
# Reusable front lines (clockwise: from Sumy oblast, round the held ground, back).
# ---------------------------------------------------------------------------------------
W_START = (34.92, 51.195, "in Sumy oblast west of the Korenevo-district border; clipped away")
W_START_SUDZHA = (35.10, 51.215, "in Sumy oblast west of the Sudzha-district border; clipped")
E_END = (35.39, 51.035, "in the Sumy-oblast tongue SE of Plekhovo; clipped away")
E_END_GUEVO = (35.31, 51.05, "in Sumy oblast south of Guevo; clipped away")
E_END_GORNAL = (35.25, 51.045, "in Sumy oblast south of Gornal; clipped away")

# The late-August extent, Snagost lobe included (the lobe itself is SNAGOST_LOBE).
PEAK_NORTH = [
    ("Olgovka", 240, 3.0),
    ("Krasnooktyabrskoe", 270, 1.5),
    ("Korenevo", 150, 3.5),
    ("Snagost", 20, 3.0),
    ("Kremyanoe", 10, 7.5),
    ("Nikolaevka", 355, 10.5),
    ("Malaya Loknya", 355, 12.0),
    ("Staraya Sorochina", 10, 9.5),
    ("Novaya Sorochina", 45, 10.5),
]
PEAK_EAST = [
    ("Bolshoe Soldatskoe", 250, 3.5),
    ("Knyazhiy", 80, 5.0),
    ("Knyazhiy", 130, 5.0),
    ("Novoivanovka", 80, 6.5),
    ("Borki", 100, 8.5),
    E_END,
]
# After the Snagost lobe is lost: the west flank runs from the border north to Kremyanoe.
WEST_NO_LOBE = [
    ("Olgovka", 240, 3.0),
    ("Olgovka", 330, 2.0),
    ("Krasnooktyabrskoe", 120, 1.5),
    ("Snagost", 160, 1.0),
    ("Snagost", 70, 2.5),
    ("Kremyanoe", 10, 5.0),
]

TRACKS = {}


def track(name, layer, status):
    TRACKS[name] = dict(layer=layer, status=status, states=[])
    return TRACKS[name]["states"]


# Build order matters: "minus"/"@track" may only use tracks created above; the
# "*_after" options run once every track is built.
CONT = track("contested", "contested", "contested")
UH = track("ukrainian_held", "ukrainian_held", "held")
POCKET = track("sudzha_pocket", "sudzha_pocket", "held")
RUC = track("russian_claimed", "russian_claimed", "claimed")
UAC = track("ukrainian_claimed", "ukrainian_claimed", "claimed")
SUMY_H = track("sumy_held", "sumy_security_zone", "held")
SUMY_C = track("sumy_contested", "sumy_security_zone", "contested")
SUMY_CL = track("sumy_claimed", "sumy_security_zone", "claimed")


def state(lst, date, name, parts, sources, confidence, notes, **kw):
    lst.append(dict(date=date, name=name, parts=parts, sources=sources,
                    confidence=confidence, notes=notes, **kw))


# =======================================================================================
# ukrainian_held: our best estimate of Ukrainian-held ground inside Russia
# =======================================================================================
state(UH, "2024-08-06", "Day 1: crossings near Sudzha", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 300, 3.5),
    ("Podol", 180, 1.0),
    ("Makhnovka", 70, 6.0),
    ("Kurilovka", 90, 4.5),
    ("Guevo", 300, 1.0),
    ("Gornal", 20, 1.0),
    E_END_GORNAL,
])], ["seed002_incursion"], "low",
    "First-day footholds east of the Sumy-oblast border between Podol and Gornal: vertices "
    "offset from Podol, Makhnovka, Kurilovka, Guevo and Gornal, clipped to the border. Depth "
    "is a guess of a few km; no area was published for the first day.")

state(UH, "2024-08-08", "Day 3: Sudzha outskirts", [("kursk_mid", [
    W_START_SUDZHA,
    ("Pogrebki", 180, 1.0),
    ("Podol", 330, 6.5),
    ("Zaoleshenka", 20, 3.0),
    ("Sudzha", 290, 1.2),
    ("Melovoy", 80, 4.0),
    ("Guevo", 60, 4.0),
    E_END_GUEVO,
])], ["seed002_incursion"], "low",
    "Advance to the western outskirts of Sudzha: vertices offset from Pogrebki, Podol, "
    "Zaoleshenka, Sudzha, Melovoy and Guevo, clipped to the border. Sudzha itself not held.",
    advance=True)

state(UH, "2024-08-12", "12 Aug: 12 km deep on a ~40 km front", [("kursk", [
    W_START,
    ("Olgovka", 150, 2.5),
    ("Tolstoy Lug", 200, 1.0),
    ("Lebedevka", 0, 4.5),
    ("Viktorovka", 0, 5.0),
    ("Malaya Loknya", 0, 5.5),
    ("Staraya Sorochina", 90, 1.5),
    ("Russkoe Porechnoe", 40, 8.0),
    ("Martynovka", 70, 7.5),
    ("Knyazhiy", 130, 5.0),
    ("Novoivanovka", 80, 5.5),
    ("Borki", 100, 6.5),
    E_END,
])], ["afp_0812", "agentstvo_0812", "smirnov_0812", "syrskyi_0812"], "low",
    "Kept between AFP/ISW (800 km²) and Agentstvo (1,050 km²); depth ~12 km north of the "
    "border as Smirnov said. Vertices offset from Olgovka, Tolstoy Lug, Lebedevka, "
    "Ivashkovsky, Kositsa, Russkoe Porechnoe, Martynovka, Vnezapnoe, Fanaseevka, Ulanok "
    "and Borki; Sudzha still contested.", advance=True)

state(UH, "2024-08-15", "15 Aug: Sudzha taken", [("kursk", [
    W_START,
    ("Olgovka", 180, 2.0),
    ("Olgovka", 60, 1.5),
    ("Kremyanoe", 180, 1.0),
    ("Kremyanoe", 30, 4.0),
    ("Nikolaevka", 0, 8.5),
    ("Malaya Loknya", 0, 9.5),
    ("Staraya Sorochina", 20, 7.0),
    ("Novaya Sorochina", 45, 9.0),
    ("Bolshoe Soldatskoe", 245, 5.5),
    ("Knyazhiy", 80, 4.5),
    ("Knyazhiy", 130, 5.0),
    ("Novoivanovka", 80, 6.0),
    ("Borki", 100, 7.5),
    E_END,
])], ["syrskyi_0815", "ua_sudzha_0815", "syrskyi_0813"], "medium",
    "Sudzha inside; north edge just past Malaya Loknya, west edge at Tolstoy Lug/Lyubimovka, "
    "east past Martynovka/Knyazhiy. Vertices offset from those settlements and Olgovka, "
    "Lebedevka, Nikolaevka, Novaya Sorochina, Russkoe Porechnoe, Novoivanovka, Borki.",
    advance=True)

state(UH, "2024-08-20", "20 Aug: 28-35 km deep", [("kursk", [
    W_START,
    ("Olgovka", 240, 2.0),
    ("Krasnooktyabrskoe", 150, 1.5),
    ("Snagost", 180, 1.5),
    ("Kremyanoe", 10, 7.0),
    ("Nikolaevka", 355, 10.5),
    ("Malaya Loknya", 355, 12.0),
    ("Staraya Sorochina", 10, 9.5),
    ("Novaya Sorochina", 45, 10.5),
    ("Bolshoe Soldatskoe", 250, 4.0),
    ("Knyazhiy", 80, 4.5),
    ("Knyazhiy", 130, 4.5),
    ("Novoivanovka", 80, 6.0),
    ("Borki", 100, 8.0),
    E_END,
])], ["syrskyi_0820", "zelensky_0819"], "medium",
    "Northern edge past Staraya/Novaya Sorochina (~28-35 km from the border as Syrskyi "
    "said), west at Komarovka/Kremyanoe (Korenevo not taken), east short of Bolshoe "
    "Soldatskoe. Area tuned to Syrskyi's 1,263 km².", advance=True)

state(UH, "2024-08-27", "27 Aug: peak extent", [("kursk", [W_START, *PEAK_NORTH, *PEAK_EAST])],
      ["syrskyi_0827", "syrskyi_0830", "seed002_1300"], "medium",
      "Largest extent: a lobe reaching the southern edge of Snagost (Korenevo not taken), "
      "north past Malaya Loknya and the Sorochinas, east to Knyazhiy short of Bolshoe "
      "Soldatskoe, south-east past Borki. Tuned to Syrskyi's 1,294 km² (+5 km² on 30 Aug).",
      advance=True)

# The Snagost lobe: lost around 10 Sep; shown as contested for a few days.
state(UH, "2024-09-10", "10 Sep: Snagost counter-attack",
      [("kursk", [W_START, *WEST_NO_LOBE, *PEAK_NORTH[5:], *PEAK_EAST])],
      ["snagost_0910", "syrskyi_0827"], "medium",
      "Peak extent minus the Snagost lobe (Snagost, Komarovka, Olgovka, Kremyanoe edge), "
      "which is shown as contested from this date. West flank offset from Olgovka, Tolstoy "
      "Lug and Kremyanoe.", retreat=True)

VESELOE = ("glushkovo", [
    (34.43, 51.245, "in Sumy oblast south of Novy Put; clipped away"),
    ("Novy Put", 270, 2.0),
    ("Novy Put", 10, 3.0),
    ("Veseloe", 340, 3.0),
    ("Veseloe", 90, 3.0),
    (34.56, 51.235, "in Sumy oblast south-east of Veseloe; clipped away"),
])

state(UH, "2024-09-13", "13 Sep: breach near Veseloe",
      [("kursk", [W_START, *WEST_NO_LOBE, *PEAK_NORTH[5:], *PEAK_EAST]), VESELOE],
      ["forbes_0912", "snagost_0910", "rumod_0913"], "medium",
      "Main area as on 10 Sep plus a separate bridgehead in Glushkovo district from the "
      "border north past Novy Put to the outskirts of Veseloe (vertices offset from both).")

state(UH, "2024-09-20", "20 Sep: Snagost lobe gone",
      [("kursk", [W_START, *WEST_NO_LOBE, *PEAK_NORTH[5:], *PEAK_EAST]), VESELOE],
      ["snagost_0910", "forbes_0912", "seed002_1300"], "medium",
      "The contested Snagost lobe is counted as lost; the Veseloe bridgehead is kept.",
      retreat=True)


MAIN_SEP20 = [W_START, *WEST_NO_LOBE, *PEAK_NORTH[5:], *PEAK_EAST]

state(UH, "2024-10-01", "1 Oct: Veseloe bridgehead gone", [("kursk", MAIN_SEP20)],
      ["bloomberg_1010", "seed002_1300"], "medium",
      "Main area unchanged from 20 Sep; the Glushkovo-district bridgehead is no longer shown "
      "(no source reports it held into October).", retreat=True)

state(UH, "2024-10-10", "10 Oct: northern edge pushed back", [("kursk", [
    W_START,
    ("Olgovka", 150, 2.0),
    ("Olgovka", 60, 2.0),
    ("Kremyanoe", 200, 1.5),
    ("Kremyanoe", 60, 2.5),
    ("Nikolaevka", 0, 8.0),
    ("Malaya Loknya", 0, 9.5),
    ("Staraya Sorochina", 20, 7.0),
    ("Novaya Sorochina", 45, 9.0),
    ("Bolshoe Soldatskoe", 245, 6.0),
    ("Knyazhiy", 80, 4.5),
    ("Knyazhiy", 130, 4.5),
    ("Novoivanovka", 80, 5.5),
    ("Borki", 100, 7.5),
    E_END,
])], ["bloomberg_1010", "deepstate_1015"], "low",
    "Russia reported about a dozen villages retaken on the northern and western edges: "
    "the line is pulled back toward Kremyanoe, Nikolaevka and the Sorochinas (offsets "
    "from each). Kyiv still said ~1,300 km²; that gap is the ukrainian_claimed band.", retreat=True)

state(UH, "2024-10-15", "Mid-Oct: a quarter lost", [("kursk", [
    W_START,
    ("Olgovka", 150, 3.0),
    ("Tolstoy Lug", 250, 2.5),
    ("Lyubimovka", 30, 2.0),
    ("Nikolaevka", 20, 3.5),
    ("Malaya Loknya", 0, 5.0),
    ("Staraya Sorochina", 30, 3.0),
    ("Novaya Sorochina", 60, 5.5),
    ("Bolshoe Soldatskoe", 235, 7.5),
    ("Knyazhiy", 80, 3.0),
    ("Knyazhiy", 140, 4.0),
    ("Novoivanovka", 80, 4.5),
    ("Borki", 100, 6.5),
    E_END,
])], ["deepstate_1015"], "low",
    "DeepState put the loss at about a quarter; the Korenevo-district flank is pulled back "
    "to Lyubimovka/Tolstoy Lug and the north to a few km past Malaya Loknya.", retreat=True)

state(UH, "2024-11-01", "Early Nov", [("kursk", [
    W_START,
    ("Olgovka", 150, 3.5),
    ("Tolstoy Lug", 240, 2.0),
    ("Lyubimovka", 60, 1.5),
    ("Nikolaevka", 30, 2.5),
    ("Malaya Loknya", 0, 4.0),
    ("Staraya Sorochina", 60, 2.0),
    ("Novaya Sorochina", 90, 4.5),
    ("Martynovka", 40, 7.0),
    ("Knyazhiy", 80, 2.5),
    ("Knyazhiy", 140, 3.5),
    ("Novoivanovka", 80, 4.0),
    ("Borki", 100, 6.0),
    E_END,
])], ["deepstate_1015", "reuters_1123"], "low",
    "Interpolated between the mid-October and 23 November figures; anchors as before.",
    retreat=True)

state(UH, "2024-11-23", "23 Nov: ~800 km²", [("kursk", [
    W_START,
    ("Olgovka", 130, 4.5),
    ("Tolstoy Lug", 200, 1.5),
    ("Lyubimovka", 90, 2.0),
    ("Nikolaevka", 60, 2.0),
    ("Malaya Loknya", 10, 3.0),
    ("Staraya Sorochina", 120, 1.5),
    ("Novaya Sorochina", 110, 3.5),
    ("Martynovka", 45, 5.5),
    ("Knyazhiy", 90, 2.0),
    ("Knyazhiy", 150, 3.0),
    ("Novoivanovka", 80, 3.0),
    ("Borki", 100, 5.0),
    E_END,
])], ["reuters_1123"], "medium",
    "Tuned to the ~800 km² of Reuters' General Staff source; Tolstoy Lug and Lyubimovka "
    "at the western edge, Staraya Sorochina lost, Malaya Loknya kept.", retreat=True)

state(UH, "2024-12-15", "Dec: ~600 km²", [("kursk", [
    W_START_SUDZHA,
    ("Pogrebki", 240, 3.0),
    ("Tolstoy Lug", 120, 2.5),
    ("Lebedevka", 20, 1.5),
    ("Viktorovka", 30, 1.5),
    ("Malaya Loknya", 20, 2.0),
    ("Staraya Sorochina", 20, 1.5),
    ("Novaya Sorochina", 150, 1.5),
    ("Russkoe Porechnoe", 60, 4.5),
    ("Martynovka", 90, 4.0),
    ("Knyazhiy", 180, 2.0),
    ("Novoivanovka", 60, 2.0),
    ("Borki", 100, 3.5),
    E_END,
])], ["ap_1229", "ukmod_1215"], "low",
    "Korenevo-district ground given up (Lyubimovka, Tolstoy Lug lost); west flank from the "
    "border past Pogrebki to Lebedevka/Viktorovka. AP's '>40% lost of 984 km²' gives ~590 "
    "km²; UK MoD's ~480 km² is lower and stays a claim.", retreat=True)

state(UH, "2025-01-05", "5 Jan: push toward Berdin", [("kursk", [
    W_START_SUDZHA,
    ("Pogrebki", 250, 2.0),
    ("Pogrebki", 30, 2.5),
    ("Lebedevka", 60, 1.0),
    ("Viktorovka", 30, 1.0),
    ("Malaya Loknya", 30, 1.5),
    ("Staraya Sorochina", 20, 1.5),
    ("Novaya Sorochina", 150, 1.5),
    ("Russkoe Porechnoe", 60, 4.0),
    ("Martynovka", 90, 3.5),
    ("Knyazhiy", 200, 2.0),
    ("Novoivanovka", 60, 1.5),
    ("Borki", 100, 3.0),
    E_END,
])], ["ua_0105", "ap_1229"], "low",
    "Held area as in late December, slightly smaller; the new push toward Berdin and "
    "Bolshoe Soldatskoe is shown as contested ground for a week, not as held.", retreat=True)

state(UH, "2025-01-15", "Mid-Jan: ~430 km²", [("kursk", [
    W_START_SUDZHA,
    ("Pogrebki", 220, 1.5),
    ("Pogrebki", 70, 1.5),
    ("Lebedevka", 270, 1.0),
    ("Lebedevka", 340, 1.0),
    ("Nikolaevka", 330, 1.0),
    ("Viktorovka", 30, 1.0),
    ("Malaya Loknya", 30, 1.0),
    ("Staraya Sorochina", 20, 1.0),
    ("Novaya Sorochina", 200, 1.0),
    ("Russkoe Porechnoe", 90, 2.0),
    ("Martynovka", 90, 2.0),
    ("Vnezapnoe", 110, 2.0),
    ("Goncharovka", 90, 3.0),
    ("Melovoy", 90, 3.5),
    ("Plekhovo", 60, 1.5),
    E_END,
])], ["deepstate_0115", "isw_0115", "rumod_0117"], "medium",
    "Tuned between DeepState's ~420 and ISW's 442 km². North edge at Cherkasskoe Porechnoe/"
    "Kositsa (Lebedevka, Viktorovka, Malaya Loknya and the Sorochinas counted as lost or "
    "grey), east edge past Martynovka and Vnezapnoe.", retreat=True)

# ---- February - March 2025: the Sudzha pocket ----
POCKET_FEB = [
    W_START_SUDZHA,
    ("Pogrebki", 220, 1.0),
    ("Pogrebki", 70, 1.5),
    ("Lebedevka", 270, 0.8),
    ("Lebedevka", 340, 0.8),
    ("Nikolaevka", 330, 0.8),
    ("Viktorovka", 30, 0.8),
    ("Malaya Loknya", 30, 0.8),
    ("Staraya Sorochina", 20, 0.8),
    ("Novaya Sorochina", 200, 1.0),
    ("Russkoe Porechnoe", 90, 1.5),
    ("Martynovka", 90, 1.5),
    ("Vnezapnoe", 110, 1.5),
]
SE_FEB6 = [
    ("Fanaseevka", 70, 1.5),
    ("Cherkasskaya Konopelka", 110, 1.5),
    ("Ulanok", 90, 2.0),
    ("Plekhovo", 60, 2.0),
    E_END,
]
SE_JAN = [("Goncharovka", 90, 3.0), ("Melovoy", 90, 3.5), ("Plekhovo", 60, 1.5), E_END]

state(UH, "2025-02-01", "1 Feb: the Sudzha pocket", [("kursk", [*POCKET_FEB, *SE_JAN])],
      ["deepstate_0115", "isw_0115"], "medium",
      "Pocket around Sudzha reaching north to Lebedevka, Nikolaevka, Viktorovka, Malaya "
      "Loknya and Staraya Sorochina (all still held until 8 March) and east to Martynovka; "
      "vertices offset ~1 km outside each.", retreat=True)

state(UH, "2025-02-06", "6 Feb: push SE of Sudzha", [("kursk", [*POCKET_FEB, *SE_FEB6])],
      ["isw_0206"], "medium",
      "As on 1 Feb plus the ISW-reported advance up to ~5 km SE of Sudzha: Cherkasskaya "
      "Konopelka, Fanaseevka and Ulanok inside (offsets from each).")

state(UH, "2025-02-15", "Mid-Feb: about two-thirds lost", [("kursk", [
    *POCKET_FEB[:-1], ("Vnezapnoe", 110, 1.0), *SE_FEB6])],
    ["seed002_two_thirds", "syrskyi_0214", "rudskoi_0220"], "medium",
    "Roughly a third of the peak extent: the seed's 'about two-thirds retaken', Rudskoi's "
    "~500 of 1,268 left. Syrskyi's ~500 km² is shown as a ukrainian_claimed top-up.", retreat=True)

state(UH, "2025-03-01", "1 Mar", [("kursk", [
    *POCKET_FEB[:3], ("Lebedevka", 270, 0.5), ("Lebedevka", 340, 0.5),
    ("Nikolaevka", 330, 0.5), ("Viktorovka", 30, 0.5), ("Malaya Loknya", 30, 0.5),
    ("Staraya Sorochina", 20, 0.5), ("Novaya Sorochina", 200, 1.5),
    ("Russkoe Porechnoe", 90, 1.0), ("Martynovka", 90, 1.0), ("Vnezapnoe", 110, 1.0),
    *SE_FEB6])], ["rudskoi_0220", "gerasimov_0312"], "medium",
    "Slow erosion on every side; the named villages of the northern tongue still just "
    "inside.", retreat=True)

state(UH, "2025-03-06", "6 Mar: pipeline infiltration under way", [("kursk", [
    *POCKET_FEB[:3], ("Lebedevka", 270, 0.4), ("Lebedevka", 340, 0.4),
    ("Nikolaevka", 330, 0.4), ("Viktorovka", 30, 0.4), ("Malaya Loknya", 30, 0.4),
    ("Staraya Sorochina", 20, 0.4), ("Novaya Sorochina", 200, 2.0),
    ("Russkoe Porechnoe", 90, 0.5), ("Martynovka", 90, 0.5), ("Vnezapnoe", 110, 0.5),
    *SE_FEB6])], ["gerasimov_0312", "pipeline_c"], "medium",
    "Before the collapse: small losses on the north-east edge (Novaya Sorochina side).",
    retreat=True)

state(UH, "2025-03-07", "7 Mar", [("kursk", [
    *POCKET_FEB[:3], ("Lebedevka", 270, 0.3), ("Lebedevka", 340, 0.3),
    ("Nikolaevka", 330, 0.3), ("Viktorovka", 30, 0.3), ("Malaya Loknya", 30, 0.3),
    ("Staraya Sorochina", 90, 0.5), ("Novaya Sorochina", 220, 2.5),
    ("Russkoe Porechnoe", 60, 0.5), ("Martynovka", 200, 0.5), ("Vnezapnoe", 110, 0.5),
    *SE_FEB6])], ["gerasimov_0312"], "medium",
    "Start of Gerasimov's 'last five days' (259 km² lost by 12 March); Martynovka lost.",
    retreat=True)

state(UH, "2025-03-08", "8 Mar: northern tongue lost", [("kursk", [
    W_START_SUDZHA,
    ("Pogrebki", 180, 1.0),
    ("Ivashkovsky", 270, 2.0),
    ("Ivashkovsky", 20, 1.5),
    ("Kositsa", 0, 2.0),
    ("Russkoe Porechnoe", 330, 1.0),
    ("Russkoe Porechnoe", 150, 1.0),
    ("Vnezapnoe", 110, 1.0),
    *SE_FEB6])], ["rumod_0308", "rumod_0309", "seed002_pipeline"], "medium",
    minus=["contested"],
    notes="Viktorovka, Nikolaevka, Staraya Sorochina and Lebedevka retaken (Russian MoD): the "
    "north edge drops to Ivashkovsky/Kositsa. The ground where the pipeline party came out "
    "in northern Sudzha is cut out as contested.", retreat=True)

state(UH, "2025-03-09", "9 Mar: Russians ~12 km from Sudzha", [("kursk", [
    W_START_SUDZHA,
    ("Pogrebki", 180, 2.5),
    ("Ivashkovsky", 220, 2.0),
    ("Kositsa", 200, 1.5),
    ("Russkoe Porechnoe", 230, 1.5),
    ("Vnezapnoe", 60, 1.0),
    *SE_FEB6])], ["rumod_0309b", "rumod_0309"], "medium", minus=["contested"],
    notes="North edge ~10-12 km from Sudzha centre (Russian MoD figure): Kositsa and Russkoe "
    "Porechnoe lost; offsets from Pogrebki, Ivashkovsky, Kositsa, Russkoe Porechnoe.", retreat=True)

state(UH, "2025-03-10", "10 Mar: Guevo cut off", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 310, 5.0),
    ("Kazachya Loknya", 290, 2.5),
    ("Kazachya Loknya", 20, 2.5),
    ("Vnezapnoe", 250, 1.0),
    ("Goncharovka", 90, 3.0),
    ("Cherkasskaya Konopelka", 200, 1.0),
    ("Melovoy", 120, 2.5),
    ("Guevo", 330, 2.0),
    ("Gornal", 60, 2.0),
    E_END_GORNAL])], ["rferl_0310"], "medium", minus=["contested"],
    notes="The south-eastern lobe (Plekhovo, Ulanok) is gone and Guevo is cut off (shown "
    "contested); Russians within ~5 km of the N07 road from the east (Goncharovka side).",
    retreat=True)

state(UH, "2025-03-11", "11 Mar", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 300, 4.0),
    ("Kazachya Loknya", 270, 2.0),
    ("Kazachya Loknya", 60, 1.5),
    ("Goncharovka", 60, 2.0),
    ("Melovoy", 100, 2.0),
    ("Guevo", 300, 2.0),
    ("Gornal", 60, 2.0),
    E_END_GORNAL])], ["gerasimov_0312"], "medium", minus=["contested"],
    notes="Pocket shrinking onto Sudzha and the N07 corridor; offsets from Podol, Kazachya "
    "Loknya, Goncharovka, Melovoy, Guevo, Gornal.", retreat=True)

state(UH, "2025-03-12", "12 Mar: 259 km² lost in 5 days", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 300, 3.0),
    ("Kazachya Loknya", 250, 1.5),
    ("Kazachya Loknya", 150, 1.0),
    ("Goncharovka", 60, 1.0),
    ("Melovoy", 90, 1.5),
    ("Guevo", 290, 2.0),
    ("Gornal", 60, 1.5),
    E_END_GORNAL])], ["gerasimov_0312"], "medium", minus=["contested"],
    notes="Tuned so that 7 -> 12 March loses about Gerasimov's 259 km²; Sudzha still inside.",
    retreat=True)

state(UH, "2025-03-13", "13 Mar: Sudzha lost or contested", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 300, 4.0),
    ("Sudzha", 260, 2.6),
    ("Sudzha", 180, 2.6),
    ("Melovoy", 90, 2.5),
    ("Guevo", 20, 1.0),
    ("Gornal", 60, 1.5),
    E_END_GORNAL])], ["deepstate_0313", "rumod_0313"], "medium", minus=["contested"],
    notes="DeepState's 140 km² (127 km² here, kept inside the 12 March line): the remnant "
    "south and west of Sudzha; the town itself is "
    "contested (Russia says taken on 13 March, Kyiv announces withdrawal on 16 March).",
    retreat=True)

state(UH, "2025-03-14", "14 Mar", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 280, 4.0),
    ("Makhnovka", 40, 2.5),
    ("Melovoy", 120, 1.0),
    ("Kurilovka", 110, 3.5),
    ("Guevo", 330, 0.8),
    ("Gornal", 60, 1.5),
    E_END_GORNAL])], ["deepstate_0313", "reuters_0316"], "low", minus=["contested"],
    notes="Interpolated between DeepState (13 Mar) and Reuters (16 Mar).", retreat=True)

state(UH, "2025-03-15", "15 Mar", [("kursk_w", [
    W_START_SUDZHA,
    ("Podol", 260, 4.0),
    ("Makhnovka", 40, 2.0),
    ("Kurilovka", 20, 1.5),
    ("Kurilovka", 110, 3.0),
    ("Guevo", 300, 1.0),
    ("Gornal", 60, 1.5),
    E_END_GORNAL])], ["deepstate_0313", "reuters_0316"], "low",
    notes="Interpolated between DeepState (13 Mar) and Reuters (16 Mar).", retreat=True)

state(UH, "2025-03-16", "16 Mar: withdrawal from Sudzha", [("kursk_w", [
    W_START_SUDZHA,
    ("Makhnovka", 330, 3.5),
    ("Makhnovka", 60, 2.5),
    ("Kurilovka", 90, 2.0),
    ("Guevo", 270, 2.0),
    ("Gornal", 60, 1.5),
    E_END_GORNAL])], ["reuters_0316", "bbg_0316", "ua_0316"], "medium",
    "Between Reuters' ~110 km² and Black Bird Group's ~77 km²: a border strip from "
    "Sverdlikovo/Makhnovka to Gornal (Reuters saw it as two pockets; drawn as one).", retreat=True)

state(UH, "2025-03-23", "Late Mar", [("kursk_w", [
    W_START_SUDZHA,
    ("Makhnovka", 320, 2.0),
    ("Makhnovka", 90, 1.0),
    ("Kurilovka", 150, 1.0),
    ("Guevo", 260, 2.0),
    ("Gornal", 60, 1.0),
    E_END_GORNAL])], ["reuters_0316", "romanenko_0401"], "low",
    "Slight further losses on the east side (Kurilovka, Guevo edges).", retreat=True)

state(UH, "2025-04-01", "1 Apr: ~90 km²", [("kursk_w", [
    W_START_SUDZHA,
    ("Makhnovka", 300, 1.5),
    ("Makhnovka", 120, 1.0),
    ("Kurilovka", 200, 1.5),
    ("Oleshnya", 60, 2.0),
    ("Gornal", 60, 1.0),
    E_END_GORNAL])], ["romanenko_0401"], "medium",
    "Kept just under Romanenko's ~90 km²: Sverdlikovo, Nikolaevo-Darino, Oleshnya, Gornal.",
    retreat=True)

state(UH, "2025-04-06", "6 Apr: 63 km² held", [("kursk_w", [
    (35.12, 51.17, "in Sumy oblast opposite Sverdlikovo; clipped away"),
    ("Sverdlikovo", 20, 2.5),
    ("Makhnovka", 90, 1.0),
    ("Kurilovka", 180, 1.0),
    ("Oleshnya", 60, 1.5),
    ("Gornal", 40, 1.0),
    E_END_GORNAL])], ["deepstate_0406"], "medium",
    "DeepState's ~63 km² held; their 81 km² 'unknown' along the border is the contested "
    "layer for these dates.", retreat=True)

state(UH, "2025-04-19", "19 Apr: Oleshnya-Gornal strip", [("kursk_w", [
    (35.13, 51.12, "in Sumy oblast west of Nikolaevo-Darino; clipped away"),
    ("Nikolaevo-Darino", 60, 1.5),
    ("Oleshnya", 30, 3.5),
    ("Gornal", 30, 2.5),
    E_END_GORNAL])], ["gerasimov_0419", "deepstate_0406"], "low",
    "Strip by the border from Nikolaevo-Darino to Gornal. Gerasimov said ~3 km² was left; "
    "the rest of this strip is shown as russian_claimed.", retreat=True)

state(UH, "2025-04-26", "26 Apr: ~30 km² still held", [("kursk_w", [
    (35.14, 51.10, "in Sumy oblast west of Oleshnya; clipped away"),
    ("Oleshnya", 330, 3.0),
    ("Oleshnya", 60, 3.0),
    ("Gornal", 20, 2.0),
    E_END_GORNAL])], ["deepstate_0426", "uags_0426", "seed000_ua"], "medium",
    "DeepState's ~30 km² around Oleshnya and Gornal (20 km² here, kept inside the 19 April "
    "line); Russia claims all of it retaken "
    "(russian_claimed), Ukraine's General Staff says positions are held.", retreat=True)

GORNAL_MAY = ("kursk_w", [
    (35.15, 51.09, "in Sumy oblast south-west of Oleshnya; clipped away"),
    ("Oleshnya", 0, 1.0),
    ("Gornal", 0, 0.8),
    E_END_GORNAL])
TYOTKINO_MAY5 = ("tyotkino", [
    (34.27, 51.245, "in Sumy oblast south-west of Tyotkino; clipped away"),
    ("Tyotkino", 230, 1.0),
    ("Tyotkino", 160, 0.6),
    ("Tyotkino", 110, 1.5),
    (34.33, 51.235, "in Sumy oblast south-east of Tyotkino; clipped away")])
TYOTKINO_MAY10 = ("tyotkino", [
    (34.27, 51.245, "in Sumy oblast south-west of Tyotkino; clipped away"),
    ("Tyotkino", 250, 1.0),
    ("Tyotkino", 0, 0.3),
    ("Tyotkino", 90, 1.5),
    (34.34, 51.245, "in Sumy oblast south-east of Tyotkino; clipped away")])

state(UH, "2025-05-01", "May: border strip by Gornal", [GORNAL_MAY],
      ["deepstate_0426", "uags_0426"], "low",
      "A narrow strip by the border at Oleshnya and Gornal; no published area.", retreat=True)
state(UH, "2025-05-05", "5 May: Tyotkino push", [GORNAL_MAY, TYOTKINO_MAY5],
      ["tyotkino_0505"], "low",
      "Plus the southern edge of Tyotkino, entered from Sumy oblast (offsets from Tyotkino).")
state(UH, "2025-05-10", "10 May: in Tyotkino", [GORNAL_MAY, TYOTKINO_MAY10],
      ["tyotkino_0505"], "low",
      "Foothold reaches the centre of Tyotkino; sizes are guesses, no area was published.")
state(UH, "2025-06-01", "June: Tyotkino foothold", [TYOTKINO_MAY10],
      ["tyotkino_0505", "syrskyi_0622"], "low",
      "Only the Tyotkino foothold is shown; Syrskyi's 90 km² in Glushkovo district is the "
      "ukrainian_claimed layer.", retreat=True)
state(UH, "2025-07-15", "Jul-Aug: Tyotkino edge", [TYOTKINO_MAY5],
      ["tyotkino_0505"], "low",
      "Foothold reduced to the southern edge of Tyotkino; no published figure.", retreat=True)

# ---- sudzha_pocket: the held area while it was the Sudzha remnant ----
for _st in list(UH):
    if "2025-02-01" <= _st["date"] <= "2025-03-15":
        state(POCKET, _st["date"], "Sudzha pocket: " + _st["name"], "@ukrainian_held",
              _st["sources"], _st["confidence"],
              "Same ground as ukrainian_held on this date: the whole remnant was the pocket "
              "around Sudzha. " + _st["notes"][:600])
state(POCKET, "2025-03-16", "(pocket collapsed)", None, [], "low", "")

# ---- contested ----
state(CONT, "2024-09-10", "Snagost lobe contested",
      [("kursk", [W_START, *PEAK_NORTH, *PEAK_EAST])], ["snagost_0910"], "medium",
      "The ground between the peak line and the 10 Sep line (Snagost, Komarovka, Olgovka "
      "side), shown contested after the Russian counter-attack.", until="2024-09-20",
      minus_after=["ukrainian_held"])
state(CONT, "2025-01-05", "Push toward Berdin", [("kursk", [
    W_START_SUDZHA,
    ("Martynovka", 20, 1.0),
    ("Bolshoe Soldatskoe", 240, 5.0),
    ("Bolshoe Soldatskoe", 220, 3.5),
    ("Knyazhiy", 60, 2.0),
    ("Martynovka", 120, 2.0),
    E_END])], ["ua_0105"], "low",
    "Wedge NE of Martynovka toward Berdin and Bolshoe Soldatskoe (offsets from both); the "
    "exact reach of the push is unknown.", until="2025-01-12", minus_after=["ukrainian_held"])
N_SUDZHA = ("ring_rus", [("Sudzha", 300, 1.8), ("Sudzha", 340, 2.0), ("Sudzha", 20, 2.0),
                         ("Sudzha", 60, 1.8), ("Sudzha", 20, 1.0), ("Sudzha", 340, 1.0)])
state(CONT, "2025-03-08", "Northern Sudzha after the pipeline raid", [N_SUDZHA],
      ["seed002_pipeline", "pipeline_c"], "low",
      "Small zone at the northern edge of Sudzha where the pipeline party came out (offsets "
      "from Sudzha, 1-2 km north); extent unknown.", until="2025-03-10")
GUEVO_CUT = ("ring_rus", [("Guevo", a, 2.2) for a in range(0, 360, 45)])
state(CONT, "2025-03-10", "Guevo cut off; northern Sudzha", [N_SUDZHA, GUEVO_CUT],
      ["rferl_0310", "seed002_pipeline"], "low",
      "Guevo (cut off from Sudzha) and the northern edge of Sudzha as grey zone.",
      until="2025-03-13")
SUDZHA_TOWN = ("ring_rus", [("Sudzha", 270, 2.5), ("Sudzha", 330, 2.5), ("Sudzha", 30, 2.5),
                            ("Sudzha", 90, 2.5), ("Sudzha", 150, 2.5), ("Sudzha", 210, 2.5)])
state(CONT, "2025-03-13", "Sudzha contested", [SUDZHA_TOWN], ["rumod_0313", "ua_0316"],
      "medium",
      "Sudzha town (2.5 km around the gazetteer point): Russia says taken on 13 March, "
      "Kyiv announces the withdrawal on 16 March.", until="2025-03-16")
state(CONT, "2025-04-06", "81 km² 'unknown' along the border", [("kursk_w", [
    W_START_SUDZHA,
    ("Makhnovka", 300, 3.0),
    ("Makhnovka", 60, 2.5),
    ("Kurilovka", 60, 2.5),
    ("Guevo", 0, 1.5),
    ("Guevo", 100, 2.0),
    ("Gornal", 60, 3.0),
    E_END_GORNAL])], ["deepstate_0406"], "low",
    "DeepState's 81 km² of 'unknown' ground along the border around the held strip.",
    until="2025-04-19", minus_after=["ukrainian_held"])

# ---- russian_claimed: what Russia claimed beyond our estimate ----
state(RUC, "2024-09-13", "10 villages retaken (Russian MoD)", [("kursk_nw", [
    W_START,
    *PEAK_NORTH[:5],
    ("Kremyanoe", 120, 3.0),
    ("Tolstoy Lug", 150, 3.0),
    (35.05, 51.20, "in Sumy oblast south of Tolstoy Lug; clipped away")])],
    ["rumod_0913"], "low",
    "The Korenevo-district flank (Olgovka, Komarovka, Snagost, Kremyanoe, Lyubimovka, "
    "Tolstoy Lug side) that Russia said it had retaken; we still show most of it held.",
    until="2024-09-20", intersect_after=["ukrainian_held"])
state(RUC, "2025-03-13", "Sudzha, Melovoy, Podol taken (Russian MoD)", [("ring_rus", [
    ("Podol", 270, 2.0), ("Sudzha", 330, 3.0), ("Sudzha", 60, 3.0), ("Melovoy", 120, 2.0),
    ("Melovoy", 200, 2.0), ("Podol", 200, 2.5)])], ["rumod_0313"], "medium",
    "Sudzha, Melovoy and Podol with ~2 km around each, as Russia claimed on 13 March; Kyiv "
    "announced the withdrawal from Sudzha only on 16 March.", until="2025-03-16")
state(RUC, "2025-04-19", "Gerasimov: 3 km² left", "@ukrainian_held", ["gerasimov_0419"], "low",
      "All of our held strip except ~3 km² by Gornal, which Gerasimov said was all that was "
      "left.", until="2025-04-26", minus_parts=[("ring_rus", [
          ("Gornal", 300, 1.3), ("Gornal", 30, 1.3), ("Gornal", 120, 1.3), ("Gornal", 210, 1.3)])])
for _d in ("2025-04-26", "2025-05-01", "2025-05-05", "2025-05-10", "2025-06-01", "2025-07-15"):
    state(RUC, _d, "Russia: Kursk fully retaken", "@ukrainian_held",
          ["gerasimov_0426", "seed000_full"], "medium",
          "Russia's position since 26 April (Gornal the last settlement): none of the ground "
          "we show as Ukrainian-held is held. Same geometry as ukrainian_held.")

# ---- ukrainian_claimed: what Kyiv claimed beyond our estimate ----
state(UAC, "2024-08-12", "Syrskyi: ~1,000 km²", [("kursk", [
    W_START,
    ("Olgovka", 150, 1.5),
    ("Tolstoy Lug", 300, 1.5),
    ("Lebedevka", 350, 6.0),
    ("Viktorovka", 0, 7.0),
    ("Malaya Loknya", 0, 7.5),
    ("Staraya Sorochina", 45, 3.0),
    ("Russkoe Porechnoe", 40, 10.0),
    ("Martynovka", 70, 9.5),
    ("Knyazhiy", 120, 6.5),
    ("Novoivanovka", 80, 7.0),
    ("Borki", 100, 8.0),
    E_END])], ["syrskyi_0812"], "low",
    "Band beyond our 12 Aug line that tops our estimate up to Syrskyi's ~1,000 km² (drawn "
    "as a wider margin round the same anchors).", until="2024-08-15",
    minus_after=["ukrainian_held"])
state(UAC, "2024-10-10", "Kyiv: still ~1,300 km²", [("kursk", MAIN_SEP20)],
      ["bloomberg_1010"], "low",
      "Kyiv's unchanged ~1,300 km² against Russian reports of lost villages: the late-"
      "September extent beyond our 10 Oct line.", until="2024-10-15",
      minus_after=["ukrainian_held"])
state(UAC, "2025-02-14", "Syrskyi: ~500 km²", [("kursk", [
    *POCKET_FEB[:2], ("Pogrebki", 70, 2.5), ("Lebedevka", 300, 1.5), ("Lebedevka", 0, 1.5),
    ("Nikolaevka", 330, 1.5), ("Viktorovka", 30, 1.5), ("Malaya Loknya", 30, 1.5),
    ("Staraya Sorochina", 20, 1.5), ("Novaya Sorochina", 200, 0.3),
    ("Russkoe Porechnoe", 90, 2.5), ("Martynovka", 90, 2.5), ("Vnezapnoe", 110, 2.0),
    ("Fanaseevka", 70, 2.5), ("Cherkasskaya Konopelka", 110, 2.5), ("Ulanok", 90, 3.0),
    ("Plekhovo", 60, 3.0), E_END])], ["syrskyi_0214"], "low",
    "Margin round the mid-February pocket that brings it to Syrskyi's ~500 km².",
    until="2025-03-01", minus_after=["ukrainian_held"])
state(UAC, "2025-06-22", "Syrskyi: ~90 km² in Glushkovo district", [("glushkovo", [
    (34.30, 51.235, "in Sumy oblast south of Tyotkino; clipped away"),
    ("Tyotkino", 220, 2.5),
    ("Tyotkino", 320, 2.5),
    ("Tyotkino", 30, 3.5),
    ("Popovo-Lezhachi", 90, 3.0),
    ("Novy Put", 340, 3.0),
    ("Veseloe", 60, 2.0),
    (34.56, 51.235, "in Sumy oblast south-east of Veseloe; clipped away")])],
    ["syrskyi_0622"], "low",
    "Syrskyi's ~90 km² in Glushkovo district, drawn as a border strip from Tyotkino east "
    "past Popovo-Lezhachi and Novy Put to Veseloe; where in the district is not published.",
    until="2025-07-22", minus_after=["ukrainian_held"])

# =======================================================================================
# sumy_security_zone: Russian-held / contested / claimed ground inside Sumy oblast
# =======================================================================================
def sumy_front(d_basivka_w, d_volod, d_zhur_w, d_zhur_s, west=(35.06, 51.245)):
    """Border strip NE of Yunakivka; the four distances (km) set its depth."""
    return ("sumy", [
        (*west, "in Kursk oblast north of the Basivka border section; clipped away"),
        ("Basivka", 270, d_basivka_w),
        ("Volodymyrivka", 250, d_volod),
        ("Zhuravka", 230, d_zhur_w),
        ("Zhuravka", 160, d_zhur_s),
        (35.19, 51.105, "in Kursk oblast east of the Zhuravka border section; clipped away"),
    ])


NOVENKE_RING = ("ring_ukr", [("Novenke", a, 1.3) for a in range(0, 360, 45)])
BASIVKA_RING = ("ring_ukr", [("Basivka", a, 1.5) for a in range(0, 360, 45)])

state(SUMY_CL, "2025-03-08", "Novenke claimed", [NOVENKE_RING],
      ["rumod_novenke", "rumod_0309"], "low",
      "Novenke and ~1.3 km round it: the first Sumy-oblast village Russia claimed (early "
      "March). Not confirmed by Ukraine.", until="2025-04-06")
state(SUMY_CL, "2025-04-06", "Novenke and Basivka claimed", [NOVENKE_RING, BASIVKA_RING],
      ["rumod_basivka", "rumod_novenke"], "low",
      "Basivka added to the Russian claim; Ukraine denies it.", until="2025-04-19")
SUMY_CLAIM_APR = sumy_front(5.0, 3.0, 4.0, 4.5, west=(35.00, 51.25))
state(SUMY_CL, "2025-04-19", "Gerasimov: >90 km²", [SUMY_CLAIM_APR],
      ["seed002_sumy", "gerasimov_sumy_0426"], "low",
      "The >90 km² and 4 settlements Gerasimov claimed, drawn as a border strip NE of "
      "Yunakivka through Basivka, Novenke, Veselivka, Zhuravka and Volodymyrivka (offsets "
      "from each). Where it exceeds the held/contested features it is claim only.",
      until="2025-06-01", minus_after=["sumy_held", "sumy_contested"])
state(SUMY_CL, "2025-08-30", "Gerasimov: 210 km², 13 settlements", [("sumy", [
    (34.76, 51.23, "in Kursk oblast north of the Kindrativka border section; clipped away"),
    ("Kindrativka", 300, 1.0),
    ("Kindrativka", 60, 2.0),
    ("Yunakivka", 310, 3.0),
    ("Yunakivka", 30, 1.5),
    ("Volodymyrivka", 220, 2.5),
    ("Zhuravka", 220, 3.0),
    ("Zhuravka", 160, 4.0),
    (35.19, 51.105, "in Kursk oblast east of the Zhuravka border section; clipped away")])],
    ["gerasimov_0830"], "low",
    "Gerasimov's 210 km²: border strip from Kindrativka to Zhuravka, passing just north of "
    "Yunakivka (not claimed taken).", minus_after=["sumy_held"])

state(SUMY_H, "2025-04-10", "Gains along Volodymyrivka-Zhuravka-Novenke",
      [sumy_front(0.8, -0.5, 0.3, 1.0, west=(35.08, 51.24))], ["isw_0410"], "low",
      "Thin strip along the border at Basivka, Novenke, Veselivka and Zhuravka (ISW).")
state(SUMY_H, "2025-04-29", "Villages back in the grey zone",
      [sumy_front(0.3, -1.5, -0.5, 0.3, west=(35.09, 51.24))], ["deepstate_0429"], "low",
      "Only a thin strip by the border counted as Russian-held; Zhuravka, Veselivka, Basivka "
      "and Novenke are grey zone (Hryhorov; DeepState).")
state(SUMY_H, "2025-05-23", "65 km² occupied", [sumy_front(2.2, 1.2, 2.2, 2.6)],
      ["deepstate_0523", "hryhorov_0526"], "medium",
      "DeepState's 65 km² occupied; Hryhorov: Novenke, Basivka, Veselivka, Zhuravka under "
      "Russian control (offsets from those and Volodymyrivka).")
state(SUMY_H, "2025-06-01", "124.68 km² occupied", [sumy_front(8.0, 2.0, 6.0, 5.5,
                                                            west=(34.94, 51.25))],
      ["deepstate_0601", "shevtsov_0602", "zelensky_0528"], "medium",
      "DeepState's 124.68 km²: a strip along the border 6-7 km deep (Shevtsov), stopping "
      "short of Yunakivka (not taken).")
state(SUMY_H, "2025-07-01", "July: strip widening west", [("sumy", [
    (34.90, 51.24, "in Kursk oblast north of the border west of Basivka; clipped away"),
    ("Yunakivka", 310, 6.5),
    ("Yunakivka", 20, 2.5),
    ("Volodymyrivka", 210, 2.0),
    ("Zhuravka", 230, 4.0),
    ("Zhuravka", 160, 4.5),
    (35.19, 51.105, "in Kursk oblast east of the Zhuravka border section; clipped away")])],
    ["deepstate_0601", "gerasimov_0830"], "low",
    "Interpolated toward Gerasimov's end-of-August figure; no independent area published.")
state(SUMY_H, "2025-08-01", "August", [("sumy", [
    (34.80, 51.23, "in Kursk oblast north of the Kindrativka border section; clipped away"),
    ("Kindrativka", 60, 4.0),
    ("Yunakivka", 320, 4.0),
    ("Yunakivka", 20, 2.5),
    ("Volodymyrivka", 210, 2.0),
    ("Zhuravka", 230, 4.0),
    ("Zhuravka", 160, 4.5),
    (35.19, 51.105, "in Kursk oblast east of the Zhuravka border section; clipped away")])],
    ["gerasimov_0830"], "low",
    "Interpolated: held strip reaching west toward Kindrativka, Yunakivka not taken.")

state(SUMY_C, "2025-04-10", "Grey zone round the first gains",
      [sumy_front(2.0, 0.5, 1.5, 2.0)], ["isw_0410"], "low",
      "Grey zone just beyond the held strip (offsets from the same villages).",
      minus_after=["sumy_held"])
state(SUMY_C, "2025-04-29", "~52 km² grey zone", [sumy_front(3.2, 1.5, 2.8, 3.2)],
      ["deepstate_0429"], "medium",
      "Zhuravka, Veselivka, Basivka and Novenke in the grey zone (Hryhorov; DeepState ~52 "
      "km²).", minus_after=["sumy_held"])
state(SUMY_C, "2025-05-02", "82 km² under neither side",
      [sumy_front(5.5, 3.5, 4.5, 5.0, west=(34.99, 51.25))],
      ["deepstate_0502"], "medium",
      "DeepState's 82 km² under neither side's control.", minus_after=["sumy_held"])
state(SUMY_C, "2025-05-23", "Grey zone beyond the occupied strip",
      [sumy_front(4.0, 2.5, 3.5, 3.5, west=(35.02, 51.25))], ["deepstate_0523"], "low",
      "Band beyond the 65 km² occupied area.", minus_after=["sumy_held"])
state(SUMY_C, "2025-06-01", "Grey zone edge", [sumy_front(9.0, 3.0, 7.0, 6.5,
                                                          west=(34.92, 51.25))],
      ["deepstate_0601"], "low", "A ~1 km grey band beyond the occupied area.",
      minus_after=["sumy_held"], until="2025-07-01")

# =======================================================================================
# events
# =======================================================================================
EVENTS = []


def event(eid, name, kind, start, end, status, confidence, sources, notes, vertices=None,
          border_near=None):
    EVENTS.append(dict(id=eid, name=name, kind=kind, valid_from=start, valid_to=end,
                       status=status, confidence=confidence, sources=sources, notes=notes,
                       vertices=vertices, border_near=border_near))


for _vil in ("Nikolaevo-Darino", "Sverdlikovo", "Oleshnya", "Gornal"):
    event(f"ev-crossing-{_vil.lower()}", f"Crossing near {_vil}", "crossing", "2024-08-06",
          "2024-08-10", "held", "low", ["seed002_incursion"],
          f"Schematic crossing point: the point of the shipped border nearest to {_vil}. "
          "The first-day axes ran through this border section; exact crossing sites are not "
          "in our sources.", border_near=(_vil,))
event("ev-sudzha-capture", "Sudzha taken by Ukraine", "capture", "2024-08-15", "2024-08-20",
      "held", "high", ["ua_sudzha_0815"], "Gazetteer point of Sudzha.", [("Sudzha",)])
event("ev-snagost", "Russian counter-attack reaches Snagost", "attack", "2024-09-10",
      "2024-09-14", "contested", "medium", ["snagost_0910"], "Gazetteer point of Snagost.",
      [("Snagost",)])
event("ev-veseloe", "Breach near Novy Put / Veseloe", "attack", "2024-09-12", "2024-09-17",
      "contested", "medium", ["forbes_0912"],
      "Line from the border south of Novy Put to the outskirts of Veseloe (schematic).",
      [(34.44, 51.262, "border section south of Novy Put (schematic start)"), ("Novy Put",),
       ("Veseloe", 270, 1.0)])
event("ev-berdin", "Push toward Berdin", "attack", "2025-01-05", "2025-01-09", "contested",
      "low", ["ua_0105"], "Arrow from Martynovka toward Bolshoe Soldatskoe (schematic).",
      [("Martynovka",), ("Bolshoe Soldatskoe", 240, 4.0)])
event("ev-sudzha-se", "Advance SE of Sudzha", "attack", "2025-02-06", "2025-02-10", "held",
      "medium", ["isw_0206"], "Arrow from Sudzha to Ulanok.", [("Sudzha",), ("Ulanok",)])
event("ev-pipeline", "Gas-pipeline infiltration route", "route", "2025-03-05", "2025-03-09",
      "contested", "low", ["pipeline_c", "seed002_pipeline"],
      "SCHEMATIC: the entry point is not sourced. Drawn as a ~15 km line (sources give "
      "12-16 km) along the approach of the Urengoy-Pomary-Uzhhorod line from the north-east, "
      "ending in northern Sudzha; it does not follow the real pipe.",
      [("Sudzha", 35, 15.8), ("Sudzha", 30, 8.0), ("Sudzha", 10, 1.0)])
event("ev-guevo-cut", "Guevo cut off from Sudzha", "other", "2025-03-10", "2025-03-13",
      "contested", "medium", ["rferl_0310"], "Gazetteer point of Guevo.", [("Guevo",)])
event("ev-sudzha-loss", "Sudzha lost", "loss", "2025-03-13", "2025-03-18", "contested",
      "high", ["rumod_0313", "ua_0316"],
      "Russia says taken 13 March; Kyiv announced the withdrawal 16 March.", [("Sudzha",)])
event("ev-gerasimov-0426", "Gerasimov: Gornal the last settlement, Kursk fully retaken",
      "claim", "2025-04-26", "2025-04-30", "claimed", "medium",
      ["gerasimov_0426", "seed000_full"], "Placed at Gornal, the named last settlement.",
      [("Gornal",)])
event("ev-uags-0426", "Ukraine's General Staff: positions still held", "claim", "2025-04-26",
      "2025-04-30", "claimed", "medium", ["uags_0426", "seed000_ua"],
      "Placed 1.5 km north of Oleshnya, inside the strip DeepState still showed held.",
      [("Oleshnya", 0, 1.5)])
event("ev-tyotkino", "Ukrainian push into Tyotkino", "attack", "2025-05-05", "2025-05-11",
      "contested", "low", ["tyotkino_0505"], "Gazetteer point of Tyotkino.",
      [("Tyotkino",)])
event("ev-novenke", "Russia claims Novenke (Sumy oblast)", "claim", "2025-03-08",
      "2025-03-12", "claimed", "low", ["rumod_novenke"], "Gazetteer point of Novenke.",
      [("Novenke",)])
event("ev-basivka", "Russia claims Basivka; Ukraine denies", "claim", "2025-04-06",
      "2025-04-10", "claimed", "low", ["rumod_basivka"], "Gazetteer point of Basivka.",
      [("Basivka",)])
event("ev-sumy-0830", "Gerasimov: 210 km² in Sumy oblast", "claim", "2025-08-30", None,
      "claimed", "low", ["gerasimov_0830"], "Placed at Yunakivka, near the claimed zone.",
      [("Yunakivka", 30, 2.0)])
