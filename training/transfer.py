"""Probes of the real-text gap: where it comes from, and what unsupervised adaptation does to it.

The real-dev check (80 labeled lines of ``../shared/corpus``) is far below the dev split. This
module measures two things, neither of which changes the shipped model:

* ``oracle``: real-dev macro-F1 at the model's own thresholds next to the best any single
  threshold could give *if it were chosen on real-dev* (a ceiling for recalibration, never a
  result), and the share of all corpus lines the model calls vague or proposing.
* ``adapt --variant ...``: a model trained on the train split with one unsupervised adaptation
  to the corpus register, scored on dev and real-dev in the same run as the shipped settings.
  The 80 real-dev lines are left out of the unlabeled pool. Variants:
  ``importance`` weights training sentences by how much they look like corpus lines (a
  written-vs-corpus classifier's odds, cross-fitted); ``corpus-rarity`` computes the syllable
  rarity features over training sentences plus corpus lines; ``shared-vocab`` keeps only the
  n-grams whose frequency differs less than 4x between written sentences and corpus lines;
  ``word-classes`` adds the sentence's shares of adjectives, nouns, numerals, verbs and adverbs and
  its longest noun run (underthesea ``pos_tag``, about 4 ms a sentence: a probe, too slow to ship);
  ``none`` with ``--writers`` trains the shipped settings on some writers' sets only (e.g. those
  written in the corpus's register).
* ``blocks``: the default artifact's sentence heads split into their feature blocks (syllable n-grams,
  cues, rarity): each block's mean contribution to the logit on negative and positive texts, and how
  well each block alone ranks them (ROC-AUC), on the real-dev lines and the corpus check next to the dev documents.
* ``check``: the corpus check (``data/audit/corpus_check.jsonl``, a random sample and a sample of plan-like lines):
  how well its two blind annotators agree with each other, and with the real-dev labels on the real-dev lines mixed
  blind into their batches; then the default artifact on each sample's consensus lines next to real-dev.
* ``indomain``: a diagnostic, never a model: the same features trained on the corpus check's labeled lines inside
  cross-validation (and next to the written data), with a learning curve, to tell a lack of real labeled text from
  a limit of the features.
* ``cues``: for each specificity and stock-phrase cue, how often a sentence carrying it is vague in
  the training targets and on real-dev, and how common it is in each (the corpus too); then the stock
  words per single line, concrete vs vague, for the boundary rounds of data and for real-dev.

Usage: python -m training.transfer oracle
       python -m training.transfer check
       python -m training.transfer indomain
       python -m training.transfer cues
       python -m training.transfer blocks
       python -m training.transfer adapt --variant importance|corpus-rarity|shared-vocab|none [--writers trsa,trsm]
                                         [--ngram-weights vague=0.25,position=3,proposal=2]
Needs ``../shared/corpus`` (``BAOCAO_SHARED``); exits with a message without it.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier.cues import FEATURE_NAMES, GENERIC_CUES, cue_matrix
from classifier.document import parse
from classifier.features import SentenceFeaturizer, mask_digits
from classifier.model import LABELS

from .crossval import ROUND_SETS, _pairs, writer_of
from .data import load_corpus
from .agreement import agreement
from .evaluate import REAL_CHECKS, REAL_LABELS, evaluate_all, model_real_metrics
from .realdev import CHECK_SETS, corpus_check, corpus_lines, read_corpus_check, real_dev
from .targets import training_arrays
from .train import make_model

_GRAMS = dict(preprocessor=mask_digits, token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2))


def unlabeled_pool() -> list[str]:
    """Distinct sentences of the corpus lines that real-dev does not label."""
    held = {item["line"] for item in real_dev()}
    return list(dict.fromkeys(s for n, line in enumerate(corpus_lines(), 1) if n not in held and line.strip()
                              for s in parse(line).model_texts))


class CorpusRarityFeaturizer(SentenceFeaturizer):
    """Rarity (syllable IDF) computed over the training sentences plus ``extra_texts``."""

    def __init__(self, extra_texts: tuple[str, ...] = (), **params):
        super().__init__(**params)
        self.extra_texts = extra_texts

    def _fit_rarity(self, texts: list[str]) -> None:
        super()._fit_rarity(list(texts) + list(self.extra_texts))


class SharedVocabularyFeaturizer(SentenceFeaturizer):
    """n-grams restricted to ``vocabulary`` (those both registers use at comparable rates)."""

    def __init__(self, vocabulary: tuple[str, ...] = (), **params):
        super().__init__(**params)
        self.vocabulary = vocabulary

    def fit(self, X, y=None):
        X = list(X)
        super().fit(X)
        kept = [g for g in self.vocabulary if g in self.ngrams_.vocabulary_]
        self.ngrams_ = TfidfVectorizer(**_GRAMS, sublinear_tf=True, dtype=np.float32, vocabulary=kept).fit(X)
        return self


_NOUNS = {"N", "Np", "Nc", "Nu", "Ny", "Nb"}
WORD_CLASS_FEATURES = ("adjective", "noun", "numeral", "verb", "adverb", "longest_noun_run")


def word_class_profile(tagged: list[tuple[str, str]]) -> tuple[float, ...]:
    """Shares of word classes among a sentence's words (punctuation left out) and its longest run of
    nouns/numerals: stock praise is adjectives and adverbs, a named object a long noun phrase."""
    words = [tag for _, tag in tagged if tag != "CH"]
    n = max(len(words), 1)
    run = longest = 0
    for tag in words:
        run = run + 1 if tag in _NOUNS or tag == "M" else 0
        longest = max(longest, run)
    return (words.count("A") / n, sum(t in _NOUNS for t in words) / n, words.count("M") / n,
            words.count("V") / n, words.count("R") / n, float(longest))


class WordClassFeaturizer(SentenceFeaturizer):
    """The shipped features plus :func:`word_class_profile` (tagged once per distinct sentence)."""

    def _rarity(self, X: list[str]) -> np.ndarray:
        from underthesea import pos_tag

        cache = self.__dict__.setdefault("_profiles", {})
        for s in X:
            if s not in cache:
                cache[s] = word_class_profile(pos_tag(s))
        return np.hstack([super()._rarity(X), np.array([cache[s] for s in X], dtype=np.float32).reshape(len(X), -1)])


def importance_weights(written: list[str], pool: list[str], cap: float = 20.0) -> tuple[np.ndarray, float]:
    """Odds that a written sentence is a corpus sentence (5-fold cross-fitted), mean 1, capped; and the
    written-vs-corpus classifier's ROC-AUC (near 1: the registers barely overlap, few sentences carry the weight)."""
    X = TfidfVectorizer(**_GRAMS, min_df=2, sublinear_tf=True).fit_transform(written + pool)
    y = np.r_[np.zeros(len(written)), np.ones(len(pool))]
    proba = cross_val_predict(LogisticRegression(max_iter=2000, class_weight="balanced"), X, y,
                              cv=StratifiedKFold(5, shuffle=True, random_state=0), method="predict_proba")[:, 1]
    p = proba[: len(written)]
    w = p / (1 - p)
    w = np.minimum(w / w.mean(), cap)
    return w / w.mean(), float(roc_auc_score(y, proba))


def shared_vocabulary(written: list[str], pool: list[str], ratio: float = 4.0) -> tuple[str, ...]:
    """The written n-grams (df >= 2) whose sentence rates in the two registers differ less than ``ratio``-fold."""
    counter = CountVectorizer(**_GRAMS, min_df=2, binary=True).fit(written)
    grams = counter.get_feature_names_out()
    rate_w = (np.asarray(counter.transform(written).sum(0)).ravel() + 1) / (len(written) + 2)
    rate_c = (np.asarray(counter.transform(pool).sum(0)).ravel() + 1) / (len(pool) + 2)
    return tuple(grams[np.abs(np.log(rate_c / rate_w)) <= np.log(ratio)])


def _real_cells(real: dict) -> str:
    return " / ".join(f"{real[l]['macro_f1']:.3f} (ROC-AUC {real[l]['roc_auc']:.3f}, ECE {real[l]['calibration_error']:.2f})"
                      for l in REAL_LABELS)


def _print_report(name: str, report: dict) -> None:
    dev = report["dev"]
    print(f"{name:14} dev " + " / ".join(f"{dev[l]['macro_f1']:.3f}" for l in LABELS)
          + f", verdict {dev['verdict_accuracy']:.3f}"
          + "".join(f" | {check} {_real_cells(report[check])}" for check in REAL_CHECKS if check in report))


def adapt(variant: str, writers: set[str] | None = None, ngram_weights: dict[str, float] | None = None) -> None:
    """``ngram_weights`` replaces the model's per-label n-gram weights in the variant (not in ``shipped``)."""
    records = load_corpus()
    train = [r for r in records if r.split == "train"]
    dev = [r for r in records if r.split == "dev"]
    _, sentences, Y, sY, sW = training_arrays(train)
    shipped = make_model().fit(sentences, Y, sY, sW)
    _print_report("shipped", evaluate_all(shipped, train, dev, with_baselines=False)["model"])
    if writers:
        train = [r for r in train if writer_of(r) in writers]
        _, sentences, Y, sY, sW = training_arrays(train)
    written = [s for doc in sentences for s in doc]
    pool = unlabeled_pool()
    print(f"{len(train)} training documents ({len(written)} sentences), {len(pool)} unlabeled corpus sentences")
    model = make_model()
    if ngram_weights:
        model.set_params(ngram_weights=ngram_weights)
    params = model.featurizer.get_params()
    if variant == "importance":
        weights, auc = importance_weights(written, pool)
        print(f"written-vs-corpus classifier ROC-AUC {auc:.3f}")
        sW = sW * weights[:, None]
    elif variant == "corpus-rarity":
        model.set_params(featurizer=CorpusRarityFeaturizer(extra_texts=tuple(pool), **params))
    elif variant == "shared-vocab":
        model.set_params(featurizer=SharedVocabularyFeaturizer(vocabulary=shared_vocabulary(written, pool), **params))
    elif variant == "word-classes":
        model.set_params(featurizer=WordClassFeaturizer(**params))
    model.fit(sentences, Y, sY, sW)
    name = variant + (" (writers)" if writers else "") + (" (n-gram weights)" if ngram_weights else "")
    _print_report(name, evaluate_all(model, train, dev, with_baselines=False)["model"])


def oracle() -> None:
    """Scores of the default artifact (``load_scorer()``) on real-dev and on every corpus line."""
    from classifier import load_scorer

    scorer = load_scorer()
    items = real_dev()
    results = scorer.score_many([item["text"] for item in items])
    for label in REAL_LABELS:
        y = np.array([item["labels"][label] for item in items])
        p = np.array([r.scores[label] for r in results])
        at_model = f1_score(y, p >= scorer.thresholds[label], average="macro")
        ceiling, threshold = max((f1_score(y, p >= t, average="macro"), t) for t in np.unique(p))
        print(f"{label:9} real-dev macro-F1 {at_model:.3f} at the model's threshold {scorer.thresholds[label]:.2f}; "
              f"best single threshold (chosen on real-dev, a ceiling only) {ceiling:.3f} at {threshold:.4f}; "
              f"called positive {np.mean(p >= scorer.thresholds[label]):.0%} of lines, labeled positive {y.mean():.0%}; "
              f"{int(np.sum((p >= scorer.thresholds[label]) & (y == 0)))} of {int(np.sum(y == 0))} negative lines "
              f"called positive, {int(np.sum((p < scorer.thresholds[label]) & (y == 1)))} of {int(np.sum(y == 1))} "
              f"positive lines missed")
    lines = [line.strip() for line in corpus_lines() if len(line.split()) >= 5]
    scores = np.array([[r.scores[l] for l in REAL_LABELS] for r in scorer.score_many(lines)])
    print(f"all {len(lines)} corpus lines of 5+ words: called " + ", ".join(
        f"{l} {np.mean(scores[:, j] >= scorer.thresholds[l]):.0%}" for j, l in enumerate(REAL_LABELS)))


def check() -> None:
    """Agreement of the corpus check's annotators, and the default artifact on the check next to real-dev."""
    from classifier import load_scorer

    rows = read_corpus_check()
    gold = {i["line"]: i["labels"] for i in real_dev()}

    def table(rows: list[dict], who: str) -> np.ndarray:
        return np.array([[r["labels"][who][l] for l in REAL_LABELS] for r in rows], dtype=int)

    def show(title: str, first: np.ndarray, second: np.ndarray) -> None:
        result = agreement(first, second, REAL_LABELS)
        print(f"  {title:42} " + "; ".join(
            f"{l} {result[l]['agreement']:.3f} (kappa {result[l]['kappa']:.3f}, positives {result[l]['positives_first']}"
            f"/{result[l]['positives_second']})" for l in REAL_LABELS))

    samples = {name: [r for r in rows if r["set"] == name] for name in CHECK_SETS}
    mixed = samples["real_dev"]
    real = np.array([[gold[r["line"]][l] for l in REAL_LABELS] for r in mixed], dtype=int)
    print("agreement (share of lines, Cohen's kappa, positives a/b): "
          + ", ".join(f"{len(sample)} {name} lines" for name, sample in samples.items()))
    for name, sample in samples.items():
        if sample:
            show(f"{name} lines: annotator a vs b", table(sample, "a"), table(sample, "b"))
    for who in "ab":
        show(f"real-dev lines: annotator {who} vs real-dev labels", table(mixed, who), real)
    model = load_scorer().model
    print("default artifact (macro-F1 vague / proposal); the check counts the lines both annotators label alike")
    for name, load in REAL_CHECKS.items():
        items = load()
        metrics = model_real_metrics(model, items)
        if metrics:
            print(f"  {name:18} {len(items):3} lines  {_real_cells(metrics)}")


def indomain(repeats: int = 5, real_weight: float = 5.0) -> None:
    """Diagnostic, never a model: how far would labeled real lines take the same features?

    A line-level logistic regression on the shipped featurizer's features (fitted, without labels, on all the
    lines used), scored by repeated 5-fold cross-validation over the corpus check's consensus lines: trained on the
    written one- and two-sentence training documents only, on the check's training folds only (at 25%, 50% and all
    of them: a learning curve), or on both (real lines weighted ``real_weight``). Nothing is saved; the corpus stays
    out of training data. It answers whether the gap is the lack of real labeled text or the features themselves.
    """
    import scipy.sparse as sp

    def body(text: str) -> str:
        return " ".join(parse(text).model_texts) or text

    written = [(body(r.text), r.labels["vague"]) for r in load_corpus()
               if r.split == "train" and len(parse(r.text).model_texts) <= 2]
    real = [(body(i["text"]), i["labels"]["vague"]) for i in corpus_check()]
    featurizer = SentenceFeaturizer(unseen_rarity="median").fit([t for t, _ in written + real])
    XW, yW = featurizer.transform([t for t, _ in written]), np.array([y for _, y in written])
    XR, yR = featurizer.transform([t for t, _ in real]), np.array([y for _, y in real])

    def fit_score(X, y, w, test) -> tuple[float, float]:
        head = LogisticRegression(C=2.0, max_iter=3000, class_weight="balanced", solver="liblinear")
        p = head.fit(X, y, sample_weight=w).predict_proba(XR[test])[:, 1]
        return f1_score(yR[test], p >= 0.5, average="macro"), roc_auc_score(yR[test], p)

    print(f"vague, line-level logistic regression; {len(written)} written one- and two-sentence documents, "
          f"{len(real)} check lines; repeated 5-fold cross-validation over the check lines (macro-F1 at 0.5, ROC-AUC)")
    runs: dict[str, list[tuple[float, float]]] = {}
    for rep in range(repeats):
        rng = np.random.RandomState(rep)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=rep).split(XR, yR):
            runs.setdefault("written only", []).append(fit_score(XW, yW, None, test))
            for share in (0.25, 0.5, 1.0):
                part = np.sort(rng.choice(train, int(len(train) * share), replace=False))
                lines = f"{share:.0%} of a fold's real lines (~{round(len(yR) * 0.8 * share)})"
                runs.setdefault(f"real only, {lines}", []).append(fit_score(XR[part], yR[part], None, test))
                weights = np.r_[np.ones(len(yW)), np.full(len(part), real_weight)]
                runs.setdefault(f"written + real, {lines}", []).append(
                    fit_score(sp.vstack([XW, XR[part]]), np.r_[yW, yR[part]], weights, test))
    for name, values in runs.items():
        values = np.array(values)
        print(f"  {name:52} {values[:, 0].mean():.3f} (sd {values[:, 0].std():.3f})  ROC-AUC {values[:, 1].mean():.3f}")


def logit_blocks(model, texts: list[str], label: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per text, the logit of ``label``'s sentence head on its highest-scoring sentence (the one that sets
    ``p_max``), split by feature block: ``{"ngram": ..., "cue": ..., "rarity": ...}``; with the intercept
    the blocks sum to the logit."""
    head = model.sentence_heads_[label]
    featurizer = model.featurizer_
    blocks = np.array([name.split("__")[0] for name in featurizer.get_feature_names_out()])
    logits, parts = [], {name: [] for name in dict.fromkeys(blocks)}
    for text in texts:
        sentences = parse(text).model_texts or [text]
        X = featurizer.transform(sentences)
        contributions = X.multiply(head.coef_[0]).toarray()
        z = contributions.sum(1) + head.intercept_[0]
        top = int(np.argmax(z))
        logits.append(z[top])
        for name in parts:
            parts[name].append(contributions[top, blocks == name].sum())
    return np.array(logits), {name: np.array(values) for name, values in parts.items()}


def blocks() -> None:
    """How each feature block of the default artifact's sentence heads scores the labeled real lines (real-dev and
    both samples of the corpus check), next to the dev documents (written, like the training data, but by two
    writers who wrote none of it; each document's top sentence against the document label)."""
    from classifier import load_scorer

    model = load_scorer().model
    labeled = {name: [(i["text"], i["labels"]) for i in load()] for name, load in REAL_CHECKS.items()}
    labeled["dev"] = [(r.text, r.labels) for r in load_corpus() if r.split == "dev"]
    sets = {name: ([text for text, _ in pairs], {l: np.array([labels[l] for _, labels in pairs]) for l in REAL_LABELS})
            for name, pairs in labeled.items() if pairs}
    for label in REAL_LABELS:
        print(f"{label}: sentence-head logit on the top sentence of each text, by feature block "
              f"(intercept {model.sentence_heads_[label].intercept_[0]:+.2f}); per set: mean on negative / "
              f"positive texts, ROC-AUC")
        print(f"  {'':8} " + " ".join(f"{name:28}" for name in sets))
        results = {name: logit_blocks(model, texts, label) for name, (texts, _) in sets.items()}
        for block in list(results["dev"][1]) + ["all"]:
            cells = []
            for name, (_, y) in sets.items():
                logits, parts = results[name]
                values = logits if block == "all" else parts[block]
                yl = y[label]
                cells.append(f"{values[yl == 0].mean():+.2f} / {values[yl == 1].mean():+.2f}, {roc_auc_score(yl, values):.3f}")
            print(f"  {block:8} " + " ".join(f"{cell:28}" for cell in cells))


CUES_SHOWN = ("anchors", "quantity", "number", "date", "time_frame", "named_unit_cased", "stock_eval",
              "generic_actor", "generic_action", "intensifier")


def cue_rates(texts: list[str], vague: np.ndarray, weights: np.ndarray | None = None) -> dict[str, tuple[float, float, float]]:
    """Per cue of CUES_SHOWN: (share of texts carrying it, vague rate with it, vague rate without it)."""
    C = cue_matrix(texts)
    w = np.ones(len(texts)) if weights is None else weights
    out = {}
    for name in CUES_SHOWN:
        has = C[:, FEATURE_NAMES.index(name)] > 0
        rate = lambda m: float(np.average(vague[m], weights=w[m])) if w[m].sum() else float("nan")
        out[name] = (float(has.mean()), rate(has), rate(~has))
    return out


def stock_per_line(texts: list[str], vague: np.ndarray) -> tuple[float, float]:
    """Mean count of the generic-substance cues (stock words and phrases) per text: (concrete texts, vague texts)."""
    C = cue_matrix(texts)
    generic = C[:, [FEATURE_NAMES.index(k) for k in GENERIC_CUES]].sum(1)
    mean = lambda m: float(generic[m].mean()) if m.any() else float("nan")
    return mean(vague == 0), mean(vague == 1)


def cues() -> None:
    """How the cues relate to vagueness in the training targets and on real-dev; how common they are."""
    train = [r for r in load_corpus() if r.split == "train"]
    _, sentences, _, sY, sW = training_arrays(train)
    written = cue_rates([s for doc in sentences for s in doc], sY[:, 0], sW[:, 0])
    items = real_dev()
    real = cue_rates([i["text"] for i in items], np.array([i["labels"]["vague"] for i in items]))
    lines = [line.strip() for line in corpus_lines() if len(line.split()) >= 5]
    corpus_share = cue_matrix(lines) > 0
    print("cue               | training sentences (weighted targets): share, P(vague|cue), P(vague|no cue) "
          "| real-dev lines: same | all corpus lines: share")
    for name in CUES_SHOWN:
        w, r = written[name], real[name]
        print(f"{name:17} | {w[0]:.2f}  {w[1]:.2f}  {w[2]:.2f} | {r[0]:.2f}  {r[1]:.2f}  {r[2]:.2f} "
              f"| {corpus_share[:, FEATURE_NAMES.index(name)].mean():.2f}")
    print("\nstock words per single line (generic-substance cues): concrete, vague")
    single = [(r, doc[0]) for r, doc in zip(train, sentences) if len(doc) == 1]
    for name, prefixes in ROUND_SETS.items():
        rows = [(text, r.labels["vague"]) for r, text in single if writer_of(r) in prefixes]
        if rows:
            concrete, vague = stock_per_line([t for t, _ in rows], np.array([v for _, v in rows]))
            print(f"  {name:12} {concrete:.2f}  {vague:.2f}  ({len(rows)} lines)")
    concrete, vague = stock_per_line([i["text"] for i in items], np.array([i["labels"]["vague"] for i in items]))
    print(f"  {'real-dev':12} {concrete:.2f}  {vague:.2f}  ({len(items)} lines)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("oracle", help="real-dev at the model's thresholds vs the best threshold; corpus-wide shares")
    sub.add_parser("check", help="the corpus check: annotator agreement, and the default artifact on it")
    sub.add_parser("indomain", help="diagnostic: the same features trained on labeled real lines (cross-validated, never saved)")
    sub.add_parser("cues", help="cue shares and vague rates: training targets, real-dev, corpus")
    sub.add_parser("blocks", help="the sentence heads' logits on real-dev lines and dev documents, by feature block")
    p = sub.add_parser("adapt", help="train with one unsupervised adaptation and compare with the shipped settings")
    p.add_argument("--variant", choices=("importance", "corpus-rarity", "shared-vocab", "word-classes", "none"), required=True)
    p.add_argument("--writers", default="", help="train on these writers' sets only, e.g. trsa,trsm (id prefixes)")
    p.add_argument("--ngram-weights", default="", help="per-label n-gram weights of the variant, e.g. vague=0.25,position=3,proposal=2")
    args = parser.parse_args(argv)
    if not real_dev():
        print("../shared/corpus is not present (set BAOCAO_SHARED): nothing to probe", file=sys.stderr)
        return 2
    if args.command == "oracle":
        oracle()
    elif args.command == "check":
        check()
    elif args.command == "indomain":
        indomain()
    elif args.command == "cues":
        cues()
    elif args.command == "blocks":
        blocks()
    else:
        adapt(args.variant, {w for w in args.writers.split(",") if w}, _pairs(args.ngram_weights) if args.ngram_weights else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
