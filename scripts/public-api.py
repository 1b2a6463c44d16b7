#!/usr/bin/env python3
"""Lists the public API of each Rust crate of the workspace from rustdoc's HTML, one item
per line, so that every change to the surface shows in review (`api/<crate>.txt`).

cargo-public-api needs a nightly compiler (rustdoc JSON), which this project's machines do
not have; rustdoc's stable HTML names the same items. Usage:
    scripts/public-api.py DOC_DIR OUT_DIR   (DOC_DIR: target/doc after `cargo doc --no-deps`)
Inherent methods, fields, variants and associated constants are listed; trait
implementations are not (they follow from the derives, and rustdoc repeats them per type).
"""
import html
import pathlib
import re
import sys

CRATES = ["verify_core", "verify_http", "verify_emulator"]
KINDS = {"struct", "enum", "fn", "trait", "constant", "static", "type", "macro", "mod"}
ANCHOR = re.compile(r'id="(method|tymethod|variant|structfield|associatedconstant|associatedtype)\.([A-Za-z0-9_]+)"')


def items(doc: pathlib.Path, crate: str):
    root = doc / crate
    for page in sorted(root.rglob("*.html")):
        name = page.name
        kind = name.split(".", 1)[0]
        if kind not in KINDS or name in ("all.html", "index.html") and kind != "mod":
            continue
        rel = page.relative_to(root).parent.parts
        ident = name.split(".")[1] if kind != "mod" else None
        path = "::".join((crate,) + rel + ((ident,) if ident else ()))
        if kind == "mod":
            continue
        text = page.read_text(errors="replace")
        if "http-equiv=\"refresh\"" in text[:2000]:
            continue  # a redirect from a private module's path to the re-export
        yield f"{kind} {path}"
        # Members of the type itself, before the trait implementations.
        cut = min(i for i in (text.find('id="trait-implementations"'), text.find('id="synthetic-implementations"'),
                              text.find('id="blanket-implementations"'), len(text)) if i >= 0)
        seen = set()
        for member, ident2 in ANCHOR.findall(text[:cut]):
            if (member, ident2) not in seen:
                seen.add((member, ident2))
                yield f"  {member} {path}::{html.unescape(ident2)}"


def main() -> None:
    doc, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for crate in CRATES:
        lines = list(items(doc, crate))
        (out / f"{crate}.txt").write_text("\n".join(lines) + "\n")
        print(f"{crate}: {sum(1 for l in lines if not l.startswith(' '))} items, "
              f"{sum(1 for l in lines if l.startswith(' '))} members")


main()
