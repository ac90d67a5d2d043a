"""The commendation decision (Quyết định khen thưởng) and the certificates of a phase's
confirmed awards, as DOCX: `content` says what they say, `document` lays it out per Decree
30/2020/NĐ-CP, `api` serves them. The fixed wording is data: `decision.vi.yaml`."""
