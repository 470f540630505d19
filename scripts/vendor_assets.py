"""Copy the browser assets the map needs into static/vendor/ (re-runnable).

- Leaflet 1.9.3 from the installed ``xstatic-leaflet`` wheel (PyPI).
- Leaflet.draw 1.0.4 from the npm registry (``npm pack leaflet-draw@1.0.4``), or from a
  tarball given with ``--leaflet-draw-tgz``.

Folium's other default assets (jQuery, Bootstrap, Awesome Markers, glyphicons) are not
vendored: the map builder drops them (views/assets.py) because nothing on our map uses them.

Usage::

    .venv/bin/python scripts/vendor_assets.py [--leaflet-draw-tgz PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor"
DRAW_VERSION = "1.0.4"

LEAFLET_LICENSE = """BSD 2-Clause License

Copyright (c) 2010-2022, Vladimir Agafonkin
Copyright (c) 2010-2011, CloudMade
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are
permitted provided that the following conditions are met:

   1. Redistributions of source code must retain the above copyright notice, this list of
      conditions and the following disclaimer.

   2. Redistributions in binary form must reproduce the above copyright notice, this list
      of conditions and the following disclaimer in the documentation and/or other materials
      provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY
EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE
COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL,
EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE
GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED
AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING
NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF
ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

DRAW_LICENSE = """MIT License

Copyright (c) 2012-2017, Jacob Toye, Jon West, Smartrak, Leaflet

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def vendor_leaflet(dest: Path) -> None:
    src = Path(xleaflet.BASE_DIR)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(src / name, dest / name)
    for img in (src / "images").iterdir():
        shutil.copy2(img, dest / "images" / img.name)
    (dest / "LICENSE").write_text(LEAFLET_LICENSE)


def _fetch_draw_tgz(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", f"leaflet-draw@{DRAW_VERSION}", "--silent"], cwd=workdir,
                   check=True, capture_output=True)
    return workdir / f"leaflet-draw-{DRAW_VERSION}.tgz"


def vendor_draw(dest: Path, tgz: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        tgz = tgz or _fetch_draw_tgz(tmp_path)
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp_path, filter="data")
        dist = tmp_path / "package" / "dist"
        if dest.exists():
            shutil.rmtree(dest)
        (dest / "images").mkdir(parents=True)
        for name in ("leaflet.draw.js", "leaflet.draw.css"):
            shutil.copy2(dist / name, dest / name)
        for img in (dist / "images").iterdir():
            if img.name.startswith("spritesheet"):
                shutil.copy2(img, dest / "images" / img.name)
    (dest / "LICENSE").write_text(DRAW_LICENSE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaflet-draw-tgz", type=Path, default=None)
    args = parser.parse_args()
    vendor_leaflet(VENDOR / "leaflet")
    vendor_draw(VENDOR / "leaflet-draw", args.leaflet_draw_tgz)
    lines = ["# Vendored browser assets", "",
             "Produced by `scripts/vendor_assets.py`; do not edit by hand.", "",
             "| file | from | sha256 (16) |", "| --- | --- | --- |"]
    origin = {"leaflet": f"xstatic-leaflet {xleaflet.VERSION} (PyPI), BSD-2-Clause",
              "leaflet-draw": f"leaflet-draw {DRAW_VERSION} (npm), MIT"}
    for path in sorted(VENDOR.rglob("*")):
        if path.is_file() and path.name != "README.md":
            rel = path.relative_to(VENDOR)
            lines.append(f"| {rel} | {origin[rel.parts[0]]} | {_sha(path)} |")
    (VENDOR / "README.md").write_text("\n".join(lines) + "\n")
    print(f"vendored into {VENDOR}")


if __name__ == "__main__":
    main()
