#!/usr/bin/env python3
"""Writes a contributions CSV for timing `sinergi import contributions` (issue 6 benchmark).

Usage: gen_contributions.py ROWS REGIONS_CSV OUT_CSV

Rows go to the villages of REGIONS_CSV (the official `code,name` list, e.g.
/work/shared/regions/wilayah_2025.csv, imported first with `sinergi import regions`) from the
demo's government, business and academic organizations (load `sinergi demo` first), with a fixed seed,
so two runs write the same file. Not a test: nothing runs it automatically.
"""
import csv
import random
import sys

ORGS = [
    ("Dinas Sosial Kabupaten Pekalongan", "APBD Kabupaten"),
    ("Dinas Pertanian dan Pangan Kabupaten Pekalongan", "APBD_REGENCY"),
    ("Dinas Kesehatan Kabupaten Pekalongan", "APBD Kabupaten"),
    ("Dinas Sosial Provinsi Jawa Tengah", "APBD Provinsi"),
    ("PT Batik Pesisir Lestari (contoh)", "CSR"),
    ("PT Agro Lampung Lestari (contoh)", "CSR"),
    ("Universitas Pekalongan", "Perguruan Tinggi"),
    ("Universitas Brawijaya", "UNIVERSITY"),
]
KINDS = ["Tunai", "Barang", "Keahlian", "CASH"]
GROUPS = ["Rumah Tangga Miskin", "Balita", "Umum", "", "WOMEN"]


def main():
    rows, regions, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(regions, newline="", encoding="utf-8") as f:
        villages = [r["code"] for r in csv.DictReader(f) if r["code"].count(".") == 3]
    rng = random.Random(6)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kunci", "kontributor", "sumber_dana", "jenis", "kode_wilayah",
                    "tahun_anggaran", "judul", "kelompok_sasaran", "penerima_manfaat",
                    "rencana", "komitmen", "status"])
        for i in range(rows):
            org, source = ORGS[i % len(ORGS)]
            code = rng.choice(villages)
            if rng.random() < 0.5:
                code = code.replace(".", "")
            planned = rng.randrange(1, 500) * 1_000_000
            committed = planned if rng.random() < 0.6 else 0
            w.writerow([f"BENCH-{i:06d}", org, source, rng.choice(KINDS), code,
                        rng.choice([2025, 2026]), f"Kegiatan {i}", rng.choice(GROUPS),
                        rng.randrange(0, 300), f"{planned:,}".replace(",", "."), committed,
                        "Komitmen" if committed else "Rencana"])


if __name__ == "__main__":
    main()
