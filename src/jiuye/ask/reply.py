"""Ask's reply to a question (AskEngine.ask): the passages found, cited, with whom to call — or the reason
it is not answered (nothing to search, not Chinese, a topic outside the documents, low confidence, a detail the
documents leave out) with where to ask instead, and the services the question asks for beside it. The ranking
it works from is engine.py's."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jiuye.ask.answers import answer_of
from jiuye.ask.ranked import Scored
from jiuye.ask.scope import foreign_letters, input_problem, not_chinese_message, written_in_japanese
from jiuye.config import today as config_today
from jiuye.knowledge.catalogue import GENERAL_HOTLINE, find_contacts
from jiuye.knowledge.models import Entry

LEAGUE_CENTRE = {"name": "兴安盟人力资源和就业服务中心", "phone": "0482-8231990"}
# Latin-only questions that are still about the documents (SYB 培训, the 12333 app …), as whole words
_ABBREVIATIONS = re.compile(r"(?<![a-z])(?:syb|iyb|lpr|app)(?![a-z])")
_PHONE_CUE = re.compile(r"电话|号码|热线|联系方式|怎么联系|咋联系|手机号")
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－— ]?)?(\d{7,8})(?!\d)|(?<!\d)(1[3-9]\d{9})(?!\d)")


def _local_numbers(text: str) -> set[str]:
    """Phone numbers in a text, by their local part (7–8 digits, or an 11-digit mobile)."""
    return {a or b for a, b in _PHONE.findall(text)}


class Replies:
    """The reply half of AskEngine (a mixin: the ranking, the scope guard, the intents and the knowledge base are
    the engine's)."""

    def _topic_refusal(self, base: dict[str, Any], reason: str, hit, text: str, district_key: str | None,
                       ranked=()) -> dict[str, Any]:
        """Refused for a topic outside the documents (by the topic list, or learnt): where to ask instead, and the
        services beside it searched without the topic's words — none for a trouble with the topic
        (招聘会上认识的老板不给交医保咋办), jobs for 想找个工作 能交医保的那种. A question that also names a
        matter of the documents (身份证丢了 … 就业创业证) gets the first ranked passage about it one tap away."""
        base["message"] = self.scope.refusal_message(hit.topic)
        base["reason"], base["topic"] = reason, hit.topic.label
        base["referrals"] = self._referrals(hit.topic.refer, district_key)
        about = next((r.entry for r in list(ranked)[:3] if any(w in r.entry.question for w in hit.evidence)), None)
        if about is not None:  # the passage's heading names it
            words = "」「".join(w for w in hit.evidence if w in about.question)
            base["message"] += f"资料中有关于「{words}」的内容，见下面的链接。"
            base["related"] = [{"id": about.id, "question": about.question, "section": about.section,
                                "document": about.document}]
        base["intents"] = self.intents.detect(text, self.kb.district_names, drop=tuple(hit.triggers + hit.words),
                                              beside_refusal=True)
        return base

    # --- the answer -------------------------------------------------------------------------
    def ask(self, question: str, top: int = 3, district: str | None = None,
            as_of: dt.date | None = None) -> dict[str, Any]:
        as_of = as_of or config_today()
        ranking = self.rank(question, top=max(top, 3))  # a detail not stated is looked for in the first three
        prep, ranked = ranking.prep, ranking.ranked
        base = {"query": question, "as_of": as_of.isoformat(), "found": False, "answers": [], "contacts": [],
                "hotlines": [GENERAL_HOTLINE, LEAGUE_CENTRE], "notes": [], "referrals": [], "sisters": [],
                "intents": [], "district": None, "related": [],
                "corrections": [{"as_typed": a, "term": b} for a, b in prep.corrections]}
        if prep.truncated:
            base["notes"].append(f"问题较长，只按前 {len(prep.text)} 个字检索。")
        for num in sorted(_local_numbers(prep.text) - set(self.phone_entries)):
            base["notes"].append(f"资料中没有印 {num} 这个号码；下面是资料中的相关内容，号码请以资料所印为准。")
        if not prep.text:
            base["reason"], base["script"], base["message"] = input_problem(question or "")
            return base
        if written_in_japanese(question or ""):
            base["reason"], base["script"], base["message"] = "not_chinese", "japanese", not_chinese_message("japanese")
            return base
        foreign = foreign_letters(question or "")
        if foreign and prep.has_cjk:
            base["notes"].append(f"问题中的{foreign}目前还不能识别，只按其中的汉字查找。")
        hit = self.scope.detect(prep.text)
        district_key = self._district(district, prep.text, base)
        base["district"] = district_key
        if self.refuses_topic(hit) and (hit.topic.decisive or not self.learnt_in_scope(ranking)):
            return self._topic_refusal(base, "out_of_scope_topic", hit, prep.text, district_key, ranked)
        base["intents"] = self.intents.detect(prep.text, self.kb.district_names)
        if not prep.has_cjk and not _ABBREVIATIONS.search(prep.text):
            base["reason"], base["script"], base["message"] = "not_chinese", "latin", not_chinese_message("latin")
            return base
        plain = self.confident(ranking, scope_model=False)  # by the thresholds alone
        confident = plain and (ranking.out_prob < self.calibration.max_out_prob or ranking.phone_hit
                               # an office's phone asked for by its name (打工直通车总站电话): the documents print it
                               or bool(self._named_offices(prep.text)))
        miss = None
        if plain:
            # a detail of a policy the documents leave out (多久能到账) reads as outside them to the scope classifier,
            # which learnt such questions as out of scope: say which policy's detail is missing rather than refuse
            miss = self.unstated.missing(prep.text, [r.entry for r in ranked[:3]])
        if not confident and miss is None:
            if hit.topic is not None and ranking.out_prob >= self.calibration.max_out_prob:
                # outside the documents by the scope classifier, and about a topic the list names: where to ask for it
                return self._topic_refusal(base, "out_of_scope_learnt", hit, prep.text, district_key, ranked)
            asked = "、".join(dict.fromkeys(i["label"] for i in base["intents"]))
            # a request for a service (乌兰浩特有没有电焊的活) is answered by the service listed with it, not the documents
            base["message"] = ((f"两份政策资料中没有找到回答这个问题的段落；{asked}请看一起列出的实时信息。" if asked else
                                "资料中没有找到能回答这个问题的内容。")
                               + "可拨打全国人社服务热线 12333，或兴安盟人力资源和就业服务中心 0482-8231990 咨询。")
            base["reason"] = "low_confidence"
            base["referrals"] = self._referrals(("hrss",), district_key)
            return base
        if miss is not None and not ranking.phone_hit:
            # the right policy, but a detail none of its passages states (how long a payment takes, which bank): say
            # so, with the policy's phones and a link to what the documents do say, not a passage that does not answer
            detail, about, word = miss
            names = "」「".join(self.kb.policies[p].name.split(" (")[0] for p in about.policies[:2])
            if not detail.stated:  # stated for no policy (which firm is hiring): not a gap of this one policy
                base["message"] = f"资料中没有{detail.label}。请打下面的咨询电话问。"
            else:
                what = f"「{names}」中「{word}」的" if word and word not in names else f"「{names}」"
                base["message"] = (f"资料中没有写明{what}{detail.label}。请打下面的咨询电话问；"
                                   "资料中关于这项政策的原文见下面的链接。")
            base["reason"], base["detail"] = "detail_not_stated", detail.label
            base["referrals"] = self._referrals(("hrss",), district_key)
            if detail.stated:  # the policy's phones and what the documents do say about it, one tap away
                base["contacts"] = self._contacts(about, district_key)
                base["related"] = [{"id": about.id, "question": about.question, "section": about.section,
                                    "document": about.document}]
                base["sisters"] = self.sisters.of(about.id)
            return base
        base["found"] = True
        answers = [self._answer(r, as_of) for r in ranked[:top]]
        base["answers"] = answers
        base["sisters"] = self.sisters.of(answers[0]["id"])  # the policy's other aspects, one tap away
        seen: set[tuple[str, str]] = set()  # an office's number once, first where the question named the office
        for c in self._named_offices(prep.text) + self._contacts(ranked[0].entry, district_key):
            if (c["office"], c["phone"]) not in seen:
                seen.add((c["office"], c["phone"]))
                base["contacts"].append(c)
        return base

    def show(self, entry_id: str, query: str = "", district: str | None = None,
             as_of: dt.date | None = None) -> dict[str, Any] | None:
        """One entry as an answer (a sister followed from another answer), with its own sisters;
        None for an unknown id."""
        e = self.kb.entries_by_id.get(entry_id)
        if e is None:
            return None
        as_of = as_of or config_today()
        base = {"query": query, "as_of": as_of.isoformat(), "found": True, "answers": [self._answer(Scored(e, 0.0), as_of)],
                "contacts": [], "hotlines": [GENERAL_HOTLINE, LEAGUE_CENTRE], "notes": [], "referrals": [],
                "corrections": [], "sisters": self.sisters.of(e.id), "intents": [], "district": None}
        base["contacts"] = self._contacts(e, self._district(district, "", base))
        return base

    def _named_offices(self, text: str) -> list[dict[str, Any]]:
        """The phone rows of an office the question names when it asks for a phone (「打工直通车总站电话」): offices other
        than the districts' centres, named by two of the words of their name (兴安 aside), or by the whole of it. The
        000 phone tables are contacts, not passages: without this the 总站's 13071023377 was never shown."""
        if not _PHONE_CUE.search(text):
            return []
        if self._office_rows is None:  # built on first use: (name without 兴安盟, its words, the row)
            self._office_rows = []
            for row in find_contacts(self.kb):
                if "人力资源和就业服务中心" not in row["office"]:
                    rest = re.sub(r"^兴安盟?", "", row["office"])
                    self._office_rows.append((rest, [w for w in self.tp.words(rest) if len(w) >= 2], row))
        return [row for rest, words, row in self._office_rows if rest in text or sum(w in text for w in words) >= 2]

    def _contacts(self, entry: Entry, district_key: str | None) -> list[dict[str, Any]]:
        topics = []
        for pid in entry.policies:
            t = self.kb.policies[pid].contact_topic
            if t not in topics:
                topics.append(t)
        contacts = []
        for t in topics[:2]:
            contacts += find_contacts(self.kb, district=district_key or "兴安盟", topic=t)
        return contacts

    def _referrals(self, ids, district_key: str | None) -> list[dict[str, Any]]:
        """Where to ask instead, with the documents' numbers for the asker's district where a
        referral names a contacts topic (档案: the district's archive service)."""
        out = []
        for r in self.scope.referral_list(ids):
            item = dict(r)
            if r.get("contact_topic"):
                item["contacts"] = find_contacts(self.kb, district=district_key or "兴安盟", topic=r["contact_topic"])
            out.append(item)
        return out

    def _district(self, district: str | None, text: str, base: dict) -> str | None:
        from jiuye.knowledge.catalogue import UnknownName, resolve_district

        if district:
            try:
                return resolve_district(self.kb, district)
            except UnknownName as exc:
                base["notes"].append(str(exc) + "。以下给出盟中心电话。")
                return None
        for alias in sorted(self.kb.district_names, key=len, reverse=True):
            if len(alias) >= 2 and alias in text and alias not in ("兴安", "兴安盟"):
                return self.kb.district_names[alias]
        return None

    def _answer(self, r: Scored, as_of: dt.date) -> dict[str, Any]:
        return answer_of(self.kb, r.entry, r.score, as_of)
