#!/usr/bin/env python3
"""Generate the protobuf wire schema the API server uses to read `application/vnd.kubernetes.protobuf` bodies.

Source: the upstream `generated.proto` files (field numbers, repeated/map, message types) and the Go type
definitions next to them (pointer or value, `omitempty`, slice types that protobuf wraps in a message) of
k8s.io/api and k8s.io/apimachinery at tag v0.32.9 (Kubernetes v1.32), read straight from git.

Usage:
    git clone --bare https://github.com/kubernetes/api /tmp/k8s-api.git
    git clone --bare https://github.com/kubernetes/apimachinery /tmp/k8s-apimachinery.git
    scripts/generate-protobuf.py --api /tmp/k8s-api.git --apimachinery /tmp/k8s-apimachinery.git

Output (committed; builds never need Python or the network):
    Sources/KubeAPI/Protobuf/ProtobufSchemaTable.swift

Why the Go types too: go-to-protobuf writes every non-pointer scalar, so a Namespace body carries
`generateName: ""` and `generation: 0`. Decoded into JSON those must disappear exactly where Go's JSON
`omitempty` would drop them (value fields), and stay where the field is a pointer (`replicas: 0`).

The output is deterministic and the script is idempotent.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess

TAG = "v0.32.9"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Sources", "KubeAPI", "Protobuf", "ProtobufSchemaTable.swift")

# The k8s.io/api group-versions the API server serves (ResourceTable), plus apimachinery's shared types.
API_PACKAGES = [
    "core/v1", "admissionregistration/v1", "apps/v1", "authentication/v1", "authorization/v1", "autoscaling/v1",
    "autoscaling/v2", "batch/v1", "certificates/v1", "coordination/v1", "discovery/v1", "events/v1",
    "networking/v1", "node/v1", "policy/v1", "rbac/v1", "scheduling/v1", "storage/v1",
]
MACHINERY_PACKAGES = {
    "pkg/apis/meta/v1": "meta.k8s.io",
    "pkg/runtime": None,
    "pkg/runtime/schema": None,
    "pkg/api/resource": None,
    "pkg/util/intstr": None,
}

SCALARS = {"string", "int32", "int64", "bool", "bytes", "double", "float", "uint32", "uint64", "sint32", "sint64"}

FIELD_RE = re.compile(r"^\s*(optional|repeated)\s+([.\w]+)\s+(\w+)\s*=\s*(\d+)\s*;")
MAP_RE = re.compile(r"^\s*map<\s*([.\w]+)\s*,\s*([.\w]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;")
MESSAGE_RE = re.compile(r"^message\s+(\w+)\s*\{")
PACKAGE_RE = re.compile(r"^package\s+([.\w]+)\s*;")
GO_TYPE_RE = re.compile(r"^type\s+(\w+)\s+(.+?)\s*(\{)?\s*$")
GO_FIELD_RE = re.compile(r"^\s*(?:(\w+)\s+)?(\*?[\w.\[\]*]+(?:\[[\w.]+\][\w.*]+)?)\s+`([^`]*)`")


def git_show(repo: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", repo, "show", f"{TAG}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def git_ls(repo: str, directory: str) -> list[str]:
    out = subprocess.run(["git", "--git-dir", repo, "ls-tree", "--name-only", TAG, directory + "/"], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.endswith(".go") and not line.endswith("_test.go")]


def parse_proto(text: str) -> tuple[str, dict[str, list[tuple]]]:
    """Package name and, per top-level message, its fields (number, name, card, type)."""
    package = ""
    messages: dict[str, list[tuple]] = {}
    current = None
    depth = 0
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if depth == 0:
            m = PACKAGE_RE.match(stripped)
            if m:
                package = m.group(1)
            m = MESSAGE_RE.match(stripped)
            if m:
                current = m.group(1)
                messages[current] = []
                depth = 1
            continue
        if stripped.startswith("}"):
            depth -= 1
            if depth == 0:
                current = None
            continue
        if stripped.endswith("{"):
            raise SystemExit(f"nested message in {package}.{current}: not supported")
        m = MAP_RE.match(line)
        if m:
            key, value, name, number = m.groups()
            messages[current].append((int(number), name, "m", qualify(key, package) + "," + qualify(value, package)))
            continue
        m = FIELD_RE.match(line)
        if m:
            label, typ, name, number = m.groups()
            messages[current].append((int(number), name, "r" if label == "repeated" else "o", qualify(typ, package)))
    return package, messages


def qualify(typ: str, package: str) -> str:
    if typ in SCALARS:
        return typ
    if typ.startswith("."):
        return typ[1:]
    return package + "." + typ


def parse_go(texts: list[str]) -> tuple[dict[str, dict[int, tuple[bool, bool, bool]]], set[str]]:
    """Per Go struct, protobuf field number -> (is pointer, omitempty, inline); and the names of slice types."""
    structs: dict[str, dict[int, tuple[bool, bool, bool]]] = {}
    slices: set[str] = set()
    for text in texts:
        current = None
        for line in text.splitlines():
            if current is None:
                m = GO_TYPE_RE.match(line)
                if not m:
                    continue
                name, rest, brace = m.groups()
                if rest.startswith("struct") and brace:
                    current = name
                    structs[current] = {}
                elif rest.startswith("[]") and rest != "[]byte":
                    slices.add(name)
                continue
            if line.startswith("}"):
                current = None
                continue
            m = GO_FIELD_RE.match(line)
            if not m:
                continue
            _, typ, tags = m.groups()
            proto = re.search(r'protobuf:"([^"]*)"', tags)
            if not proto:
                continue
            parts = proto.group(1).split(",")
            json_tag = re.search(r'json:"([^"]*)"', tags)
            json_parts = json_tag.group(1).split(",") if json_tag else [""]
            omitempty = "omitempty" in json_parts[1:]
            inline = "inline" in json_parts[1:] and json_parts[0] == ""
            if len(parts) > 1 and parts[1].isdigit():
                structs[current][int(parts[1])] = (typ.startswith("*"), omitempty, inline)
    return structs, slices


def group_of(repo: str, directory: str, files: list[str]) -> str:
    for name in ("register.go", "doc.go"):
        path = directory + "/" + name
        if path not in files:
            continue
        text = git_show(repo, path)
        m = re.search(r'const\s+GroupName\s*=\s*"([^"]*)"', text) or re.search(r"\+groupName=([\w.]*)", text)
        if m:
            return m.group(1)
    return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True, help="git dir of k8s.io/api")
    parser.add_argument("--apimachinery", required=True, help="git dir of k8s.io/apimachinery")
    args = parser.parse_args()

    sources = [(args.api, p, None) for p in API_PACKAGES]
    sources += [(args.apimachinery, p, g) for p, g in MACHINERY_PACKAGES.items()]
    records: list[str] = []
    message_count = field_count = 0
    for repo, directory, fixed_group in sources:
        package, messages = parse_proto(git_show(repo, directory + "/generated.proto"))
        files = git_ls(repo, directory)
        structs, slices = parse_go([git_show(repo, f) for f in files])
        if fixed_group is not None or repo == args.apimachinery:
            group = fixed_group or "-"
        else:
            group = group_of(repo, directory, files) or "-"
        version = directory.rsplit("/", 1)[-1] if re.match(r"v\d", directory.rsplit("/", 1)[-1]) else "-"
        records.append(f"@{package} {group} {version}")
        for name in sorted(messages):
            fields = messages[name]
            wrapper = name in slices and len(fields) == 1 and fields[0][1] == "items" and fields[0][2] == "r"
            records.append(f"={name}" + (" items" if wrapper else ""))
            message_count += 1
            go_fields = structs.get(name, {})
            for number, fname, card, typ in sorted(fields):
                pointer, omitempty, inline = go_fields.get(number, (True, True, False))
                drop_zero = card == "o" and typ in SCALARS and not pointer and omitempty
                flag = " i" if inline else (" z" if drop_zero else "")
                records.append(f"{number} {fname} {card} {typ}{flag}")
                field_count += 1

    header = (
        f"// GENERATED by scripts/generate-protobuf.py from k8s.io/api and k8s.io/apimachinery {TAG}\n"
        "// (generated.proto field numbers, Go types for pointers and omitempty). DO NOT EDIT: change the script\n"
        "// and re-run it.\n\n"
        f"// The protobuf wire schema of {message_count} messages ({field_count} fields) in {len(sources)} packages.\n"
        "//\n"
        "// Format (parsed once, on first use): one record a line.\n"
        "//   `@PACKAGE GROUP VERSION`  starts a proto package (GROUP `-` = core \"\" or none; VERSION `-` = none)\n"
        "//   `=MESSAGE [items]`          starts a message; `items`: a Go slice type wrapped in a message, whose JSON\n"
        "//                               is the bare array of its `items` field\n"
        "//   `NUMBER NAME CARD TYPE [z|i]` a field: CARD o optional, r repeated, m map (TYPE = `KEY,VALUE`); TYPE is a\n"
        "//                               scalar or a package-qualified message; `z`: a Go value (not pointer)\n"
        "//                               field with `omitempty`, whose zero value JSON leaves out; `i`: an embedded\n"
        "//                               struct (`json:\",inline\"`) whose fields JSON puts in the parent object\n\n"
    )
    body = "/// The raw protobuf schema table (see the format above).\nlet generatedProtobufSchemaData: String = \"\"\"\n"
    body += "\n".join(records) + "\n\"\"\"\n"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(header + body)
    print(f"wrote {OUT}: {message_count} messages, {field_count} fields")


if __name__ == "__main__":
    main()
