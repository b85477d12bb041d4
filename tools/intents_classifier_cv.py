"""Experiment (not used by Ask): would a learnt classifier find the front-door intents better than the rules of
data/ask/intents.yaml? A character 1–3-gram TF-IDF + logistic regression is trained on four folds of
data/eval/ask_services_blind.yaml (a development set) and scored on the fifth, optionally with 600 paraphrases
(data/ask/paraphrases.yaml, all policy questions) as extra "none" examples and with the rules' policy-question
detector in front. Run: PYTHONPATH=$PWD/src /work/main/.venv/bin/python tools/intents_classifier_cv.py"""
import random
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from jiuye.cli import _kb
from jiuye.ask.engine import get_engine
from jiuye.ask.intents_eval import load_cases, LABELS
from pathlib import Path
e = get_engine(_kb())
cases = load_cases(Path("data/eval/ask_services_blind.yaml"))
T = lambda q: e.tp.prepare(q).text
X = [T(c["q"]) for c in cases]; y = [c["intent"] for c in cases]
para = yaml.safe_load(open("data/ask/paraphrases.yaml"))
pq = [p for v in para["paraphrases"].values() for p in v]
if not pq and isinstance(para, dict): pass
print("paraphrases", len(pq))
random.seed(0); extra = [T(p) for p in random.sample(pq, min(600, len(pq)))]
def run(use_rules, use_para):
    right = 0; per = {}
    for k in range(5):
        tr = [i for i in range(len(X)) if i % 5 != k]; te = [i for i in range(len(X)) if i % 5 == k]
        Xt = [X[i] for i in tr] + (extra if use_para else []); yt = [y[i] for i in tr] + (["none"] * len(extra) if use_para else [])
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        clf = LogisticRegression(C=10, max_iter=2000, class_weight="balanced").fit(vec.fit_transform(Xt), yt)
        pred = clf.predict(vec.transform([X[i] for i in te]))
        for i, p in zip(te, pred):
            if use_rules:  # the rules' policy detector first
                if e.intents.asks_about_a_policy(X[i]): p = "none"
            per.setdefault(y[i], [0, 0]); per[y[i]][0] += 1; per[y[i]][1] += p == y[i]
    n = sum(v[0] for v in per.values()); r = sum(v[1] for v in per.values())
    sn = sum(v[0] for k, v in per.items() if k != "none"); sr = sum(v[1] for k, v in per.items() if k != "none")
    print(f"rules={use_rules} para={use_para} acc {r/n:.1%} service {sr/sn:.1%} none->service {1-per['none'][1]/per['none'][0]:.1%}", {k: f"{v[1]}/{v[0]}" for k, v in per.items()})
for ur in (False, True):
    for up in (False, True):
        run(ur, up)
