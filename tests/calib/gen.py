#!/usr/bin/env python3
"""gen.py - writes the calibrate fixtures: kubectl-shaped dumps of pods,
events and a Deployment whose timings come from known distributions.

    python3 tests/calib/gen.py [OUTDIR]     (default: tests/calib/fixtures)

Deterministic (seeded). The generating laws, which the tests recover:
  scheduling     exponential, mean 0.3 s (reported only)
  pull           lognormal, median 3 s, sigma 0.4 (event message, ms)
  containerStart gamma, mean 4 s, shape 8
  startup        Weibull, scale 20 s, shape 2.5; readiness probe every 1 s
                 from a random phase, so Ready = first probe >= startup
Timestamps are written as the API server does: whole seconds, UTC ("Z").
"""
import json
import math
import os
import random
import sys
import time

SEED = 15
N = 200
IMAGE = "registry.example/web:1.4.2"
HASH = "7d9c6b5f4"
BASE = 1796378400  # 2026-12-04T10:00:00Z
PERIOD = 1


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(math.floor(t)))


def suffix(rng):
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))


def uid(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def godur(s):
    out = ("%.3f" % s).rstrip("0").rstrip(".")
    return out + "s"


def pod_and_events(rng, i, image, tmpl_hash):
    name = "web-%s-%s" % (tmpl_hash, suffix(rng))
    node = "node-%d" % (i % 12 + 1)
    created = BASE + i * 1.7 + rng.random()
    scheduled = created + rng.expovariate(1 / 0.3)
    pulling = scheduled + 0.05
    pull = math.exp(math.log(3.0) + 0.4 * rng.gauss(0, 1))
    pulled = pulling + pull
    cstart = rng.gammavariate(8, 4.0 / 8)
    started = pulled + cstart
    startup = rng.weibullvariate(20.0, 2.5)
    phase = rng.random() * PERIOD
    k = max(0, math.ceil((startup - phase) / PERIOD))
    ready = started + phase + k * PERIOD
    cond = lambda ty, t: {"type": ty, "status": "True",
                          "lastProbeTime": None,
                          "lastTransitionTime": ts(t)}
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": name, "namespace": "default", "uid": uid(rng),
            "generateName": "web-%s-" % tmpl_hash,
            "labels": {"app": "web", "pod-template-hash": tmpl_hash},
            "creationTimestamp": ts(created),
            "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": "web-%s" % tmpl_hash, "uid": uid(rng),
                "controller": True, "blockOwnerDeletion": True}],
            "resourceVersion": str(100000 + i)},
        "spec": {
            "containers": [{
                "name": "app", "image": image,
                "imagePullPolicy": "IfNotPresent",
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "readinessProbe": {
                    "httpGet": {"path": "/ready", "port": 8080,
                                "scheme": "HTTP"},
                    "periodSeconds": PERIOD, "timeoutSeconds": 1,
                    "successThreshold": 1, "failureThreshold": 3},
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"}],
            "nodeName": node, "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "terminationGracePeriodSeconds": 30},
        "status": {
            "phase": "Running",
            "conditions": [cond("Initialized", scheduled),
                           cond("Ready", ready),
                           cond("ContainersReady", ready),
                           cond("PodScheduled", scheduled)],
            "containerStatuses": [{
                "name": "app", "image": image,
                "imageID": image.split(":")[0] + "@sha256:" +
                           "%064x" % rng.getrandbits(256),
                "containerID": "containerd://%064x" % rng.getrandbits(256),
                "ready": True, "restartCount": 0, "started": True,
                "state": {"running": {"startedAt": ts(started)}},
                "lastState": {}}],
            "hostIP": "10.0.0.%d" % (i % 12 + 10),
            "podIP": "10.244.%d.%d" % (i % 12, i % 250 + 2),
            "podIPs": [{"ip": "10.244.%d.%d" % (i % 12, i % 250 + 2)}],
            "startTime": ts(scheduled),
            "qosClass": "BestEffort"}}

    def ev(reason, t, msg, typ="Normal"):
        return {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "%s.%016x" % (name, rng.getrandbits(64)),
                         "namespace": "default",
                         "creationTimestamp": ts(t)},
            "involvedObject": {"apiVersion": "v1", "kind": "Pod",
                               "name": name, "namespace": "default",
                               "fieldPath": "spec.containers{app}"},
            "reason": reason, "message": msg,
            "source": {"component": "kubelet", "host": node},
            "firstTimestamp": ts(t), "lastTimestamp": ts(t), "count": 1,
            "type": typ, "eventTime": None, "reportingComponent": "kubelet",
            "reportingInstance": node}
    events = [
        ev("Pulling", pulling, 'Pulling image "%s"' % image),
        ev("Pulled", pulled, 'Successfully pulled image "%s" in %s (%s '
           'including waiting). Image size: %d bytes.'
           % (image, godur(pull), godur(pull + 0.01),
              48213377 + rng.randrange(1000))),
        ev("Created", started, "Created container app"),
        ev("Started", started, "Started container app"),
    ]
    return pod, events


def plist(items):
    return {"apiVersion": "v1", "items": items, "kind": "List",
            "metadata": {"resourceVersion": ""}}


def write(outdir, name, doc):
    with open(os.path.join(outdir, name), "w") as f:
        json.dump(doc, f, indent=4)
        f.write("\n")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fixtures")
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(SEED)
    pods, events = [], []
    for i in range(N):
        p, e = pod_and_events(rng, i, IMAGE, HASH)
        pods.append(p)
        events.extend(e)
    write(outdir, "pods.json", plist(pods))
    write(outdir, "events.json", plist(events))
    deploy = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default",
                     "labels": {"app": "web"}, "generation": 3},
        "spec": {
            "replicas": N,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate":
                         {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [
                    pods[0]["spec"]["containers"][0]]}}}}
    write(outdir, "deploy.json", deploy)
    # error cases: a few pods, each with one defect (no-ready.json: a pod
    # without Ready, which calibrate skips)
    few = plist([json.loads(json.dumps(p)) for p in pods[:3]])
    write(outdir, "few.json", few)
    bad = plist([json.loads(json.dumps(p)) for p in pods[:6]])
    bad["items"][3]["status"]["conditions"] = [
        c for c in bad["items"][3]["status"]["conditions"]
        if c["type"] != "Ready"]
    write(outdir, "no-ready.json", bad)
    bad = plist([json.loads(json.dumps(p)) for p in pods[:6]])
    st = bad["items"][2]["status"]
    st["containerStatuses"][0]["state"]["running"]["startedAt"] = \
        "2026-12-04T10:00:05Z"
    for c in st["conditions"]:
        if c["type"] in ("Ready", "ContainersReady"):
            c["lastTransitionTime"] = "2026-12-04T10:00:03Z"
        if c["type"] in ("PodScheduled", "Initialized"):
            c["lastTransitionTime"] = "2026-12-04T10:00:01Z"
    bad["items"][2]["metadata"]["creationTimestamp"] = "2026-12-04T10:00:00Z"
    write(outdir, "out-of-order.json", bad)
    two = plist([json.loads(json.dumps(p)) for p in pods[:6]])
    two["items"][4]["metadata"]["labels"]["pod-template-hash"] = "5f6b8c9d7"
    write(outdir, "two-templates.json", two)


main()
