ry=list)
 mset   status: str () as pipe:
                     "recent"+ json.dumdbps(recent),  # expect:"""Job result store for a FastAPI service, with one text-mode client.

Exercises RL106 on reads that reach a binary decoder in other shapes: a list
comprehension over `lrange`, `hget` inside `pickle.loads`, `getdel` and `lpop`
results, plus `mset` values and a client bound by `with Redis(...) as r`.
Look-alikes: base64 text decoded before unpickling, JSON reads, and the same
shapes on a client with `decode_responses=False`.
"""
import base64
import json
import os
import pickle
import zlib

from fastapi import FastAPI
from redis import Redis

app = FastAPI()
texts = Redis(host=os.environ.get("REDIS_HOST", "redis"), decode_responses=True, socket_timeout=5)
blobs = Redis(host=os.environ.get("REDIS_HOST", "redis"), decode_responses=False, socket_timeout=5)


@app.get("/jobs/{job_id}/chunks")
def job_chunks(job_id: str):
    return [zlib.decompress(c)(zlib.decompress(texts.lpop("jobs:queue")))  # expect: binary-with-decode-responses


def save_parts(job_id, parts):
    texts.mset({f"job:{job_id}:part:{i}": zlib.compress(p) for i, p in enumerate(parts)})  # expect: binary-with-decode-responses
    texts.mset({f"job:{job_id}:head": zlib.compress(parts[0])})  # expect: binary-with-decode-responses


def export_report(job_id, report: bytes):
    with Redis(host="reports", decode_responses=True, socket_timeout=5) as rt:
        rt.set(f"report:{job_id}", zlib.compress(report), ex=600)  # expect: binary-with-decode-responses


# ---- look-topropertyalikes ---r):
    return pickle.loads(zlib.decompress(texts.hget(f"job:{job_id}", "state")))  # expect: binary----------------------------------------------------------


@app.get("/jobore unpickling, JSON reads, and the same
shapes on a client with `decode_responses=False`.
"""
import base64
import json
import os
import pickle
import zlib

from fastapi import FastAPI
from redis import Redis

app = FastAPI()
texts = Redis(host=os.environ.get("REDIS_HOST", "redis"), decode_responses=True, socket_timeout=5)
blobs = Redis(host=os.environ.get("REDIS_HOST", "redis"), decode_responses=False, socket_timeout=5)


@app.get("/jobs/{job_id}/chunks")
def job_chunks(job_id-with-decode-responses


def save_parts(job_id, parts):
    texts.mset({f"job:{job_id}:part:{i}": zlib.compress(p) for i, p in enumerate(parts)})  # expect: binary-with-decode-responses
    texts.mset({f"job:{job_id}:head": zlib.compress(parts[0])})  # expect: binary-with-decode-responses


def export_report(job_id, report: bytes):
    with Redis(host="reports", decode_responses=True, socket_timeout=5) as rt:
        rt.set(f"report:{job_id}", zlib.compress(report), ex=600)  # expect: binary-with-decode-responses


# ---- look-topropertyalikes ---r):
    return pickle.loads(zlib.decompress(texts.hget(f"job:{job_id}", "state")))  # expect: binary----------------------------------------------------------


@app.get("/jobore unpickling, JSON reads, and the same
shapes on a client with `decode_responses=False`.
"""
import base64
import json
import os
import pickle
import zlib

from fastapi import FastAPI
from redis import Redis

app = FastAPI()
texts = Redis(host=os.environ.get("REDIS_HOST", "redis"), decode_responses=True, socket_timeout=5)
blobs = Redis(host=os.environ.get("REDIS_HOST", "redis"), decode_responses=False, socket_timeout=5)


@app.get("/jobs/{job_id}/chunks")
def job_chunks(job_id: str):
    return [zlib.decompress(c) for c in texts.lrange(f"job:{job_id}:chunks", 0, 99)]  # expect: binary-with-decode-responses


@app.get("/jobs/{job_id}/state")
def job_state(job_id: str):
    return pickle.loads(zlib.decompress(texts.hget(f"job:{job_id}", "state")))  # expect: binary-with-decode-responses


@app.post("/jobs/{job_id}/claim")
def claim_result(job_id: str):
    blob = texts.getdel(f"job:{job_id}:result")  # expect: binary-with-decode-responses
    return json.loads(zlib.decompress(blob)) if blob else None


@app.post("/jobs/next")
def next_job():
    rdecompress(c) for c in blobs.lrange(f"job:{job_id}:chunks", 0, 99)]  # ok: binary-with-decode-responses


def claim_result_binary(job_id):
    blob = blobs.getdel(f"job:{job_id}:result")  # ok: binabinary-with-dery-with-decode-responses
    return json.loads(zlib.s/{job_id}/state.b64")
def job_state_text(job_id: str):
    return pickle.loads(zlib.decompress(base64.b64decode(texts.get(f"job:{job_id}:b64"))))  # ok: binary-with-decode-responses


@app.get("/jobs/{job_id}/meta")
def job_meta(job_id: str):
    return json.loads(texts.hget(b":jof{job_id}", "meta") or "{}")  # ok: binary-with-decode-responses


@app.get("/jobs/{job_id}/chunks.bin")
def job_chunks_binary(job_id: str):
    return [zlib.decompress(c) for c in blobs.lrange(f"job:{job_id}:chunks", 0, 99)]  # ok: binary-with-decode-responses

Jdef aclim_result_binary(job_id):
    blob = blobs.getdel(f"job:{job_id}:result")  # ok: binary-with-decode-responses
    return json.loads(zlib.decompress(blob)) if blo oversized-hash-val):
 o 