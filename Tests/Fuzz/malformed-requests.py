#!/usr/bin/env python3
"""malformed-requests.py: throws thousands of malformed requests at a running kube-apiserver.

    python3 malformed-requests.py SERVER CA CERT KEY [COUNT] [SEED]

Every request must get a 4xx answer with a JSON Status body, or a closed connection; the server must stay up and
the store must not change (the collection resourceVersion, which is the store revision, is the same before and
after). Prints one summary line and exits 1 on any violation.
"""
import http.client
import json
import random
import socket
import ssl
import sys
from urllib.parse import quote, urlparse

server, ca, cert, key = sys.argv[1:5]
count = int(sys.argv[5]) if len(sys.argv) > 5 else 2000
rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
url = urlparse(server)
host, port = url.hostname, url.port

context = ssl.create_default_context(cafile=ca)
context.load_cert_chain(cert, key)


def connect():
    return http.client.HTTPSConnection(host, port, context=context, timeout=10)


def revision(conn):
    conn.request("GET", "/api/v1/namespaces?limit=1")
    response = conn.getresponse()
    body = json.loads(response.read())
    return body["metadata"]["resourceVersion"]


RESOURCES = ["/api/v1/namespaces/default/pods", "/api/v1/namespaces/default/configmaps", "/api/v1/namespaces/default/services",
             "/apis/apps/v1/namespaces/default/deployments", "/api/v1/nodes", "/api/v1/namespaces",
             "/api/v1/namespaces/default/secrets"]
# Bodies that upstream rejects for every resource above.
BAD_JSON = [b"{", b"[", b"nul", b'{"a":}', b"\xff\xfe", b'{"metadata":{"name":"x"}', b"{}" * 100, b'"just a string"',
            b"123", b"[]", b'{"metadata":"notanobject"}', b'{"apiVersion":"v9","kind":"Pod","metadata":{"name":"x"}}',
            b'{"kind":"NoSuchKind","metadata":{"name":"wrongkind"}}', b'{"metadata":{"name":"Bad_Name"}}',
            b'{"metadata":{"name":"' + b"a" * 300 + b'"}}', b'{"metadata":{"name":"x","resourceVersion":"5"}}',
            b'{"metadata":{"name":"x","labels":{"bad key!":"v"}}}', b'{"metadata":{"generateName":"Bad_"}}',
            b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000, b'{"metadata":{"name":"\\u0000"}}',
            b'{"metadata":{"name":"x","annotations":{"' + b"k" * 300 + b'":"v"}}}']
# Bodies that upstream rejects for one resource.
BAD_FOR = {"/api/v1/namespaces/default/pods": [b'{"metadata":{"name":"x"},"spec":{"containers":[]}}',
                                               b'{"metadata":{"name":"x"},"spec":{"containers":[{"name":"c"}]}}',
                                               b'{"metadata":{"name":"x"},"spec":{"containers":[{"name":"C_","image":"i"}]}}'],
           "/apis/apps/v1/namespaces/default/deployments": [b'{"metadata":{"name":"x"},"spec":{"replicas":-5,"selector":{},"template":{}}}'],
           "/api/v1/namespaces/default/services": [b'{"metadata":{"name":"x"},"spec":{"ports":[{"port":99999}]}}',
                                                   b'{"metadata":{"name":"x"},"spec":{"clusterIP":"1.2.3.4","ports":[{"port":80}]}}']}
BAD_SELECTORS = ["labelSelector=a%20in%20(", "labelSelector=!!", "labelSelector=a=b=c", "fieldSelector=nope%3Dx",
                 "fieldSelector=metadata.name", "labelSelector=" + quote("a" * 400 + "=b"), "limit=abc",
                 "continue=garbage", "resourceVersion=abc&watch=true", "resourceVersionMatch=Exact&resourceVersion=abc",
                 "timeoutSeconds=x&watch=true"]
BAD_PATCHES = [("application/json-patch+json", b'[{"op":"explode","path":"/x"}]'),
               ("application/json-patch+json", b'[{"op":"test","path":"/metadata/name","value":"nope"}]'),
               ("application/json-patch+json", b'[{"op":"remove","path":"/no/such/path"}]'),
               ("application/json-patch+json", b'{"not":"a list"}'),
               ("application/merge-patch+json", b'{"metadata":{"name":"renamed"}}'),
               ("application/merge-patch+json", b'[1,2]'),
               ("application/merge-patch+json", b'{"metadata":{"labels":{"bad key!":"v"}}}'),
               ("application/strategic-merge-patch+json", b'[{"$patch":"bogus"}]'),
               ("application/strategic-merge-patch+json", b'{"metadata":{"uid":"changed"'),
               ("application/apply-patch+yaml", b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}'),
               ("application/x-unknown", b"{}"), ("application/vnd.kubernetes.protobuf", b"k8s\x00garbage")]
BAD_PATHS = ["/api/v1/namespaces/default/nope", "/apis/nope/v1/things", "/api/v2/pods", "/api/v1/namespaces/%zz/pods",
             "/api/v1/namespaces/default/pods/x/unknownsub", "/" + "a/" * 500, "/api/v1/namespaces/" + "x" * 5000 + "/pods"]


def one(conn, i):
    kind = rng.randrange(6)
    headers = {"Content-Type": "application/json"}
    if kind == 0:
        method, path = "POST", rng.choice(RESOURCES)
        body = rng.choice(BAD_JSON + BAD_FOR.get(path, []) * 4)
    elif kind == 1:
        method, path = "PUT", rng.choice(RESOURCES) + "/fuzz-target"
        body = rng.choice([b for b in BAD_JSON if b"generateName" not in b])
    elif kind == 2:
        method, path, body = "GET", rng.choice(RESOURCES) + "?" + rng.choice(BAD_SELECTORS), b""
        if rng.random() < 0.3:
            # DELETE of a collection with bad options; of a missing item otherwise.
            method, path = "DELETE", rng.choice(RESOURCES) + rng.choice(["?dryRun=Some", "?gracePeriodSeconds=x",
                                                                          "?propagationPolicy=Sideways", "/does-not-exist-" + str(i)])
    elif kind == 3:
        ctype, body = rng.choice(BAD_PATCHES)
        method, path, headers = "PATCH", "/api/v1/namespaces/default/configmaps/fuzz-target", {"Content-Type": ctype}
    elif kind == 4:
        method, path, body = rng.choice(["POST", "PATCH"]), rng.choice(BAD_PATHS), b"{}"
    else:
        method, path = "POST", rng.choice(RESOURCES)
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if not 400 <= response.status < 500:
        return f"{method} {path[:80]} body={body[:60]!r}: status {response.status}: {data[:200]!r}"
    try:
        status = json.loads(data)
    except ValueError:
        return f"{method} {path[:80]}: non-JSON {response.status} body {data[:100]!r}"
    if status.get("kind") != "Status" or status.get("code") != response.status:
        return f"{method} {path[:80]}: not a Status: {data[:200]!r}"
    return None


def raw_garbage():
    """Broken TLS handshakes and broken HTTP inside TLS: the server may only close the connection."""
    for payload in [b"\x16\x03\x01\x00\x05hello", b"GET / HTTP/1.1\r\n\r\n", bytes(range(256)), b"\x16\x03\x03" + b"\xff" * 2000]:
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(payload)
            try:
                s.recv(100)
            except (ConnectionError, socket.timeout):
                pass
    for payload in [b"NOT HTTP AT ALL\r\n\r\n", b"GET /version HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    b"POST /api/v1/namespaces HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n"]:
        with socket.create_connection((host, port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=host) as s:
                s.sendall(payload)
                try:
                    s.recv(1000)
                except (ConnectionError, socket.timeout, ssl.SSLError):
                    pass


conn = connect()
body = json.dumps({"metadata": {"name": "fuzz-target"}, "data": {"a": "b"}}).encode()
conn.request("POST", "/api/v1/namespaces/default/configmaps", body=body, headers={"Content-Type": "application/json"})
conn.getresponse().read()
before = revision(conn)
failures = []
for i in range(count):
    try:
        problem = one(conn, i)
    except (ConnectionError, http.client.HTTPException, socket.timeout, ssl.SSLError):
        problem = None  # a closed connection is an allowed answer
        conn.close()
        conn = connect()
    if problem:
        failures.append(problem)
    if i % 500 == 0:
        raw_garbage()
conn.close()
conn = connect()
after = revision(conn)
if before != after:
    failures.append(f"the store changed: revision {before} -> {after}")
print(f"{count} malformed requests, {len(failures)} violations")
for failure in failures[:20]:
    print("VIOLATION", failure)
sys.exit(1 if failures else 0)
