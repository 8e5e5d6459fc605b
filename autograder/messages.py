"""Every sentence a student or instructor reads, in Korean and English, in one place.

`say(key, **fields)` renders one entry as "Korean / English" (students in these classes
read both; the Korean line comes first). Templates get already-rendered strings.
Entries are grouped by pipeline stage; a test renders every entry with sample fields.
"""

from __future__ import annotations

import string

CATALOG: dict[str, dict[str, str]] = {
    # --- ingest --------------------------------------------------------------
    # --- sandbox -------------------------------------------------------------
    # --- grading -------------------------------------------------------------
    # --- pipeline / cli ------------------------------------------------------
    "no_notebook_in_folder": {
        "ko": "제출 폴더 {path}에 노트북(.ipynb)이 없습니다.",
        "en": "The submission folder {path} holds no notebook (.ipynb)."},
    "internal_error": {
        "ko": "채점기 내부 오류로 이 제출물을 채점하지 못했습니다. 조교에게 알려 주세요.",
        "en": "The grader itself failed on this submission. Please tell your TA."},
    "worker_crashed": {
        "ko": "채점 작업 프로세스가 중단되어 이 제출물을 채점하지 못했습니다. 다시 채점하면 됩니다.",
        "en": "A grading worker died while grading this submission; grading it again should work."},
    "score_line": {
        "ko": "점수: {points} / {max_points}",
        "en": "Score: {points} / {max_points}"},
    "block_failed": {
        "ko": "{label}, {line}번째 줄을 실행하다 오류가 났습니다: {error}",
        "en": "Running {label}, line {line} failed: {error}"},
    "report_syntax_error": {
        "ko": "셀 {cell}, {line}번째 줄 문법 오류로 이 셀은 채점에서 빠졌습니다: {error}",
        "en": "Cell {cell}, line {line} has a syntax error, so that cell was left out: {error}"},
    "load_timed_out": {
        "ko": "노트북 코드를 불러오는 데 제한 시간을 넘겼습니다.",
        "en": "Loading the notebook's code ran past its time limit."},
    "student_output_follows": {
        "ko": "제출 코드가 출력한 내용(일부):",
        "en": "What the submitted code printed (excerpt):"},
    "no_assignment_match": {
        "ko": "어떤 과제인지 알 수 없습니다: 채점 대상 함수/클래스 이름이 하나도 없습니다. --assignment로 지정해 주세요.",
        "en": "Cannot tell which assignment this is: it defines none of the graded names. Pass --assignment."},
    "ambiguous_assignment": {
        "ko": "여러 과제와 비슷하게 일치합니다: {matches}. --assignment로 지정해 주세요.",
        "en": "This notebook matches several assignments about equally: {matches}. Pass --assignment."},
    "batch_footer": {
        "ko": "제출물 {total}개: 채점 {graded}개, 채점 불가 {errors}개, {seconds}초",
        "en": "{total} submissions: {graded} graded, {errors} could not be graded, {seconds} s"},
    "results_written": {
        "ko": "결과: {out}/<학생>/results.json, {out}/summary.csv, {out}/gradebook.sqlite",
        "en": "Results: {out}/<student>/results.json, {out}/summary.csv, {out}/gradebook.sqlite"},
    "label_score": {"ko": "점수", "en": "Score"},
    "label_item": {"ko": "항목", "en": "Item"},
    "label_points": {"ko": "배점", "en": "Points"},
    "label_status": {"ko": "상태", "en": "Status"},
    "label_not_graded": {"ko": "채점하지 못했습니다", "en": "Could not be graded"},
    "label_notebook_problems": {"ko": "노트북의 문제", "en": "Problems in the notebook"},
}


def fields_of(key: str) -> set[str]:
    """Placeholder names an entry uses (both languages)."""
    names = set()
    for text in CATALOG[key].values():
        names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return names


def say(key: str, lang: str = "both", **fields) -> str:
    entry = CATALOG[key]
    if lang != "both":
        return entry[lang].format(**fields)
    ko, en = entry["ko"].format(**fields), entry["en"].format(**fields)
    return en if ko == en else f"{ko} / {en}"
