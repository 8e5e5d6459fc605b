"""Every sentence a student or instructor reads, in Korean and English, in one place.

`say(key, **fields)` renders one entry as "Korean / English" (students in these classes
read both; the Korean line comes first). Templates get already-rendered strings.
Entries are grouped by pipeline stage; a test renders every entry with sample fields.
"""

from __future__ import annotations

import string
import tomllib

from .chapters import MESSAGES_NAME, chapter_dirs

CATALOG: dict[str, dict[str, str]] = {
    # --- ingest --------------------------------------------------------------
    "ingest.error.unreadable": {
        "ko": "제출 파일을 읽을 수 없습니다: {path} ({reason})",
        "en": "Cannot read the submitted file: {path} ({reason})",
    },
    "ingest.error.no_notebook": {
        "ko": "제출 폴더 {path} 에 노트북(.ipynb)이나 파이썬 파일(.py)이 없습니다.",
        "en": "The submission folder {path} holds no notebook (.ipynb) or Python file (.py).",
    },
    "ingest.error.too_large": {
        "ko": "제출 파일이 너무 큽니다 ({size_mb} MB, 한도 {limit_mb} MB). 출력을 지우고 다시 저장해 주세요.",
        "en": "The submitted file is too large ({size_mb} MB, limit {limit_mb} MB). Clear the outputs and save again.",
    },
    "ingest.error.unsupported_type": {
        "ko": "이 파일은 노트북이 아니라 {kind} 파일입니다. .ipynb 파일을 제출해 주세요.",
        "en": "This file is a {kind}, not a notebook. Please submit the .ipynb file.",
    },
    "ingest.error.unknown_encoding": {
        "ko": "파일의 문자 인코딩을 알 수 없습니다 (UTF-8, CP949, EUC-KR 모두 실패). 노트북에서 다시 저장해 주세요.",
        "en": "Unknown text encoding (UTF-8, CP949 and EUC-KR all failed). Please save the notebook again from Jupyter.",
    },
    "ingest.error.invalid_json": {
        "ko": "노트북 파일이 손상되었습니다 (JSON 오류, {line}행 {column}열: {reason}).",
        "en": "The notebook file is damaged (invalid JSON at line {line}, column {column}: {reason}).",
    },
    "ingest.error.truncated": {
        "ko": "노트북 파일이 중간에 잘려 있습니다 (저장 또는 업로드가 끝나지 않았습니다). 다시 저장해서 제출해 주세요.",
        "en": "The notebook file is cut off (saving or uploading did not finish). Please save it again and resubmit.",
    },
    "ingest.error.not_a_notebook": {
        "ko": "이 파일은 JSON이지만 주피터 노트북이 아닙니다 ({reason}).",
        "en": "This file is JSON but not a Jupyter notebook ({reason}).",
    },
    "ingest.error.empty": {
        "ko": "노트북에 코드가 없습니다 (코드 셀이 없거나 모두 비어 있습니다).",
        "en": "The notebook has no code (no code cells, or all of them are empty).",
    },
    "ingest.warn.invalid_notebook": {
        "ko": "노트북 형식 검사에서 문제가 발견되었지만 코드 셀은 읽었습니다: {reason}",
        "en": "The notebook does not fully match the format, but its code cells were read: {reason}",
    },
    "ingest.warn.syntax_error": {
        "ko": "셀 {cell}, {line}행에 문법 오류가 있어 이 셀은 채점에서 제외되었습니다: {message}",
        "en": "Cell {cell}, line {line} has a syntax error, so this cell was left out of grading: {message}",
    },
    "ingest.warn.cell_magic_dropped": {
        "ko": "셀 {cell}은(는) %%{magic} 셀이라 파이썬 코드로 실행하지 않았습니다.",
        "en": "Cell {cell} is a %%{magic} cell, so it was not run as Python.",
    },
    "ingest.warn.method_outside_class": {
        "ko": "셀 {cell}의 `{name}`은(는) self를 받지만 클래스 밖에 있습니다. 클래스 안으로 들여쓰기 했는지 확인하세요.",
        "en": "`{name}` in cell {cell} takes self but sits outside any class. Check that it is indented inside its class.",
    },
    "ingest.resolve.missing": {
        "ko": "`{name}`을(를) 찾을 수 없습니다.",
        "en": "`{name}` is not defined in the notebook.",
    },
    "ingest.resolve.missing_did_you_mean": {
        "ko": "`{name}`을(를) 찾을 수 없습니다. 혹시 {suggestions} 을(를) 뜻했나요?",
        "en": "`{name}` is not defined in the notebook. Did you mean {suggestions}?",
    },
    "ingest.resolve.missing_star_import": {
        "ko": "`{name}`을(를) 노트북에서 직접 작성하지 않았습니다. `from {module} import *`로 가져온 코드는 채점하지 않습니다 (0점).",
        "en": "`{name}` is not written in the notebook. Code brought in by `from {module} import *` is not graded (0 points).",
    },
    "ingest.resolve.imported": {
        "ko": "`{name}`을(를) 직접 작성하지 않고 `{module}`에서 가져왔습니다 (0점).",
        "en": "`{name}` was imported from `{module}`, not written (0 points).",
    },
    "ingest.resolve.not_callable": {
        "ko": "`{name}`은(는) 함수나 클래스가 아니라 값입니다 (셀 {cell}, {line}행).",
        "en": "`{name}` is a value, not a function or class (cell {cell}, line {line}).",
    },
    "ingest.resolve.alias_note": {
        "ko": "`{student}`을(를) `{book}`(으)로 채점했습니다.",
        "en": "Graded `{student}` as `{book}`.",
    },
    "ingest.resolve.redefined": {
        "ko": "`{name}`은(는) 셀 {cells}에서 여러 번 정의되었습니다. 위에서부터 실행한 것처럼 마지막 정의(셀 {cell})를 채점했습니다.",
        "en": "`{name}` is defined in cells {cells}; as a top-to-bottom run would, the last one (cell {cell}) was graded."},
    # --- sandbox -------------------------------------------------------------
    # --- grading -------------------------------------------------------------
    # checks: what the student's call returned and how it missed
    "grading.mismatch": {
        "ko": "{call}의 결과가 기대값과 다릅니다.",
        "en": "{call} returned a value that differs from the expected one."},
    "grading.returned_none": {
        "ko": "{call}이(가) None을 반환했습니다. 함수 끝에 return 문이 있는지 확인하세요.",
        "en": "{call} returned None; check that the function ends with a return statement."},
    "grading.not_numeric": {
        "ko": "{call}이(가) 숫자 배열이 아닌 {kind}을(를) 반환했습니다.",
        "en": "{call} returned {kind}, not an array of numbers."},
    "grading.list_refused": {
        "ko": "{call}이(가) 리스트를 반환했습니다. numpy 배열(np.array)을 반환해야 합니다.",
        "en": "{call} returned a list; it must return a numpy array (np.array)."},
    "grading.float32_refused": {
        "ko": "{call}이(가) {dtype} 배열을 반환했습니다. 여기서는 float64 정밀도가 필요합니다.",
        "en": "{call} returned {dtype}; float64 precision is required here."},
    "grading.wrong_shape": {
        "ko": "{call}의 반환값 shape이 {got}이지만 {want}이어야 합니다.",
        "en": "{call} returned shape {got}, but shape {want} was expected."},
    "grading.nonfinite": {
        "ko": "결과에 nan 또는 inf가 {count}개 있습니다.",
        "en": "The result holds {count} nan/inf value(s)."},
    "grading.accepted_list": {
        "ko": "(반환된 리스트는 허용되며 배열로 바꿔 비교했습니다.)",
        "en": "(A returned list is accepted; it was compared as an array.)"},
    "grading.accepted_float32": {
        "ko": "({dtype} 반환은 허용되며 단정밀도 허용 오차로 비교했습니다.)",
        "en": "({dtype} is accepted; it was compared with single-precision tolerance.)"},
    "grading.wrong_dtype_kind": {
        "ko": "{call}이(가) {dtype} 자료형을 반환했습니다. {want} 자료형이어야 합니다.",
        "en": "{call} returned dtype {dtype}; {want} was expected."},
    "grading.grad_mismatch": {
        "ko": "{call}의 기울기가 기준 구현과 다릅니다.",
        "en": "{call} returned a gradient that differs from the reference."},
    "grading.grad_mismatch_own": {
        "ko": "{call}의 기울기가 직접 작성한 forward의 수치 미분과 다릅니다. backward가 forward와 맞지 않습니다.",
        "en": "{call} returned a gradient that differs from the numerical gradient of your own forward: the backward does not match the forward."},
    "grading.not_restored": {
        "ko": "{call}을(를) 호출한 뒤 입력 배열이 원래 값으로 돌아오지 않았습니다.",
        "en": "After {call} the input array was not restored to its original values."},
    "grading.not_dict": {
        "ko": "{call}이(가) dict가 아닌 {kind}을(를) 반환했습니다.",
        "en": "{call} returned {kind}, not a dict."},
    "grading.missing_keys": {
        "ko": "{call}에 키 {keys}이(가) 없습니다.",
        "en": "{call} has no key(s) {keys}."},
    "grading.not_true": {
        "ko": "{call}의 조건이 성립하지 않습니다: {what}",
        "en": "{call} does not satisfy: {what}"},
    # labels in front of data the checks print (shapes, previews, numbers)
    "grading.label.inputs": {"ko": "입력", "en": "inputs"},
    "grading.label.returned": {"ko": "반환값", "en": "returned"},
    "grading.label.expected": {"ko": "기대값", "en": "expected"},
    "grading.label.max_abs": {"ko": "최대 절대 오차", "en": "max abs error"},
    "grading.label.max_rel": {"ko": "최대 상대 오차", "en": "max rel error"},
    "grading.label.worst": {"ko": "가장 큰 차이의 위치", "en": "worst index"},
    "grading.label.tolerance": {"ko": "허용 오차", "en": "tolerance"},
    "grading.label.rel_error": {"ko": "상대 오차", "en": "relative error"},
    # classic misses, recognised by matching a known wrong variant of the answer
    "hint.file_missing": {
        "ko": "채점은 빈 폴더에서 실행되므로 sample_weight.pkl이나 MNIST 같은 파일이 없습니다. 채점되는 함수는 파일을 읽지 말고 값을 직접 만들어야 합니다.",
        "en": "Grading runs in an empty folder: files such as sample_weight.pkl or MNIST are not there. A graded function must build its values, not read files."},
    "hint.module_missing": {
        "ko": "채점 환경에는 numpy와 matplotlib만 있습니다(책의 common, dataset 패키지는 없음). 필요한 함수는 노트북 안에 직접 작성하세요.",
        "en": "Grading has numpy and matplotlib only (not the book's common or dataset packages). Write what you need in the notebook itself."},
    "hint.name_undefined": {
        "ko": "채점에는 함수·클래스 정의, import, 상수만 쓰입니다. 학습 루프나 데이터 로딩 같은 최상위 코드가 만든 변수는 없으니, 함수 안에서 쓰는 값은 인자로 받거나 함수 안에서 만드세요.",
        "en": "Grading keeps definitions, imports and constants only: variables made by top-level code (training loops, data loading) do not exist. Take such values as arguments or build them inside the function."},
    "hint.grad_not_restored": {
        "ko": "x[idx]를 바꿔 f를 계산한 뒤에는 원래 값(tmp_val)으로 되돌려야 합니다.",
        "en": "After evaluating f with x[idx] changed, put the original value (tmp_val) back."},
    "hint.int_dtype": {
        "ko": "결과가 정수 자료형이라 소수 부분이 잘렸습니다. np.zeros_like(x)나 입력이 정수형인지 확인하세요(dtype=float).",
        "en": "The result has an integer dtype, so fractions were cut off; check np.zeros_like(x) or an int input (use dtype=float)."},
    "hint.bool_dtype": {
        "ko": "bool 배열을 반환했습니다. np.array(x > 0, dtype=int)처럼 숫자로 바꾸세요.",
        "en": "A bool array was returned; convert it to numbers, e.g. np.array(x > 0, dtype=int)."},
    # plugin: why a hidden test did not pass when the student's code misbehaved
    "grading.student_raised": {
        "ko": "{call} 실행 중 {exc_type} 예외가 발생했습니다: {message}",
        "en": "{call} raised {exc_type}: {message}"},
    "grading.time_limit": {
        "ko": "시간 제한을 넘었습니다 (무한 루프인지 확인하세요): {detail}",
        "en": "Time limit exceeded (check for an endless loop): {detail}"},
    "grading.crashed": {
        "ko": "학생 코드를 실행하던 프로세스가 멈췄습니다: {detail}",
        "en": "The process running your code stopped: {detail}"},
    "grading.unsafe_value": {
        "ko": "반환값을 안전하게 전달할 수 없습니다: {detail}",
        "en": "The returned value could not be passed back safely: {detail}"},
    "grading.stale_handle": {
        "ko": "앞에서 만든 객체를 더 이상 쓸 수 없습니다: {detail}",
        "en": "An object created earlier is no longer available: {detail}"},
    "grading.test_exception": {
        "ko": "테스트가 예상하지 못한 {exc_type} 때문에 멈췄습니다: {message}",
        "en": "The test stopped on an unexpected {exc_type}: {message}"},
    "grading.setup_error": {
        "ko": "테스트를 준비하지 못했습니다: {exc_type}: {message}",
        "en": "The test could not be set up: {exc_type}: {message}"},
    "grading.skipped": {
        "ko": "이 테스트는 실행되지 않았습니다: {reason}",
        "en": "This test was not run: {reason}"},
    "grading.suite_broken": {
        "ko": "채점 테스트 모음 {suite}을(를) 불러오지 못했습니다: {detail}",
        "en": "The hidden suite {suite} could not be collected: {detail}"},
    # assignments
    "assignment.unknown": {
        "ko": "알 수 없는 과제 '{name}'입니다. 가능한 과제: {known}",
        "en": "Unknown assignment '{name}'; known assignments: {known}"},
    "assignment.invalid": {
        "ko": "과제 설정 {path}이(가) 잘못되었습니다: {detail}",
        "en": "The assignment config {path} is invalid: {detail}"},
    "grading.not_rerun_after_timeout": {
        "ko": "`{item}`의 앞선 테스트가 제한 시간을 넘겨 이 테스트는 실행하지 않았습니다(무한 루프인지 확인하세요).",
        "en": "An earlier test of `{item}` ran out of time, so this one was not run (look for an endless loop)."},
    # --- pipeline / cli ------------------------------------------------------
    "pipeline.error.internal": {
        "ko": "채점기 내부 오류로 이 제출물을 채점하지 못했습니다. 조교에게 알려 주세요.",
        "en": "The grader itself failed on this submission. Please tell your TA."},
    "pipeline.error.assignment_changed": {
        "ko": "채점 도중 과제 {assignment}의 설정이나 채점 테스트가 바뀌어 이 제출물을 채점하지 않았습니다. 다시 채점하면 됩니다.",
        "en": "Assignment {assignment}'s config or hidden suite changed while grading; this submission was not graded. Grade it again."},
    "batch.error.worker_crashed": {
        "ko": "채점 작업 프로세스가 중단되어 이 제출물을 채점하지 못했습니다. 다시 채점하면 됩니다.",
        "en": "A grading worker died while grading this submission; grading it again should work."},
    "report.score_line": {
        "ko": "점수: {points} / {max_points}",
        "en": "Score: {points} / {max_points}"},
    "report.block_failed": {
        "ko": "{label}, {line}번째 줄을 실행하다 오류가 났습니다: {error}",
        "en": "Running {label}, line {line} failed: {error}"},
    "report.import_failed": {
        "ko": "{label}, {line}번째 줄 `{statement}` 을(를) 가져오지 못했습니다({error}). 채점 환경에는 numpy만 있습니다.",
        "en": "{label}, line {line}: `{statement}` could not be imported ({error}); grading has numpy only."},
    "report.skipped": {
        "ko": "채점에는 함수·클래스 정의와 import, 상수만 쓰였고, 그 밖의 최상위 문장 {count}개({kinds})는 실행하지 않았습니다.",
        "en": "Grading used definitions, imports and constants only; {count} other top-level statements ({kinds}) were not run."},
    "report.load_timed_out": {
        "ko": "노트북 코드를 불러오는 데 제한 시간을 넘겼습니다.",
        "en": "Loading the notebook's code ran past its time limit."},
    "report.student_output_follows": {
        "ko": "제출 코드가 출력한 내용(일부):",
        "en": "What the submitted code printed (excerpt):"},
    "detect.no_match": {
        "ko": "어떤 과제인지 알 수 없습니다: 채점 대상 함수/클래스 이름이 하나도 없습니다. --assignment로 지정해 주세요.",
        "en": "Cannot tell which assignment this is: it defines none of the graded names. Pass --assignment."},
    "detect.ambiguous": {
        "ko": "여러 과제와 비슷하게 일치합니다: {matches}. --assignment로 지정해 주세요.",
        "en": "This notebook matches several assignments about equally: {matches}. Pass --assignment."},
    "batch.footer": {
        "ko": "제출물 {total}개: 채점 {graded}개(이 중 {cached}개는 이전 결과 재사용), 채점 불가 {errors}개, {seconds}초",
        "en": "{total} submissions: {graded} graded ({cached} reused from the gradebook), {errors} could not be graded, {seconds} s"},
    "batch.identical": {
        "ko": "바이트까지 똑같은 제출물: {students}",
        "en": "Byte-identical submissions: {students}"},
    "cli.results_written": {
        "ko": "결과: {out}/students/<학생>/results.json, {out}/summary.csv, {out}/dashboard.html, {out}/gradebook.sqlite",
        "en": "Results: {out}/students/<student>/results.json, {out}/summary.csv, {out}/dashboard.html, {out}/gradebook.sqlite"},
    "report.label.dashboard": {"ko": "채점 현황", "en": "Grading dashboard"},
    "report.label.full_marks": {"ko": "만점 학생", "en": "Full marks"},
    "report.label.mean": {"ko": "평균 득점률", "en": "Mean share of points"},
    "report.label.student": {"ko": "학생", "en": "Student"},
    "report.label.assignment": {"ko": "과제", "en": "Assignment"},
    "report.dashboard_summary": {
        "ko": "학생 {total}명의 최신 결과 (채점 불가 {errors}명)",
        "en": "Latest results of {total} students ({errors} could not be graded)"},
    "report.dashboard_stats": {
        "ko": "채점 {count}명, 만점 {max_score}, 평균 {mean}, 중앙값 {median}",
        "en": "{count} graded, out of {max_score}, mean {mean}, median {median}"},
    "cli.results_kept": {
        "ko": "채점을 멈췄습니다. 지금까지 쓴 결과는 그대로 남아 있습니다.",
        "en": "Grading stopped; the results written so far are kept."},
    "report.label.hint": {"ko": "힌트", "en": "Hint"},
    "report.label.score": {"ko": "점수", "en": "Score"},
    "report.label.item": {"ko": "항목", "en": "Item"},
    "report.label.points": {"ko": "배점", "en": "Points"},
    "report.label.status": {"ko": "상태", "en": "Status"},
    "report.label.not_graded": {"ko": "채점하지 못했습니다", "en": "Could not be graded"},
    "report.label.notebook_problems": {"ko": "노트북의 문제", "en": "Problems in the notebook"},
    # --- submissions: why a submission was refused (every entry takes {detail}) ----
    "submissions.id_collision": {
        "ko": "여러 제출물이 같은 학생 ID가 되어 어느 것도 채점하지 않았습니다 ({detail}). 파일 이름을 서로 다르게 바꾼 뒤 다시 채점해 주세요.",
        "en": "Several submissions map to the same student id, so none of them was graded ({detail}). Rename them apart and grade again."},
    "submissions.bad_archive": {
        "ko": "압축 파일을 열 수 없습니다 ({detail}). 다시 압축해서 제출해 주세요.",
        "en": "The archive cannot be opened ({detail}). Please zip the files again and resubmit."},
    "submissions.archive_encrypted": {
        "ko": "암호가 걸린 압축 파일은 풀 수 없습니다 ({detail}). 암호 없이 다시 압축해서 제출해 주세요.",
        "en": "The archive is password-protected and cannot be unpacked ({detail}). Please zip it again without a password."},
    "submissions.archive_unsafe_member": {
        "ko": "압축 파일에 허용되지 않는 항목이 있어 풀지 않았습니다 ({detail}). 폴더 밖을 가리키는 경로, 절대 경로, 심볼릭 링크, 중복된 이름은 받을 수 없습니다.",
        "en": "The archive holds an entry that is not allowed, so it was not unpacked ({detail}). Paths leading outside the folder, absolute paths, symbolic links and repeated names are refused."},
    "submissions.archive_too_large": {
        "ko": "압축 파일이 크기 한도를 넘어 풀지 않았습니다 ({detail}). 데이터 파일과 출력을 빼고 노트북만 압축해 주세요.",
        "en": "The archive is over the size limit, so it was not unpacked ({detail}). Please zip the notebook alone, without data files or outputs."},
    "submissions.archive_too_many_members": {
        "ko": "압축 파일에 항목이 너무 많아 풀지 않았습니다 ({detail}).",
        "en": "The archive holds too many entries, so it was not unpacked ({detail})."},
    "submissions.archive_too_deep": {
        "ko": "압축 파일 안에 압축 파일이 너무 깊이 들어 있어 풀지 않았습니다 ({detail}). 노트북 파일을 직접 압축해서 제출해 주세요.",
        "en": "Archives are nested too deeply, so this one was not unpacked ({detail}). Please zip the notebook itself."},
    "submissions.archive_recursive": {
        "ko": "압축 파일이 자기 자신을 담고 있어 풀지 않았습니다 ({detail}).",
        "en": "The archive contains itself, so it was not unpacked ({detail})."},
    "submissions.batch_budget_exhausted": {
        "ko": "이번 채점에서 압축을 풀 수 있는 용량을 다 써서 이 압축 파일은 풀지 않았습니다 ({detail}). 따로 채점해 주세요.",
        "en": "This run's unpacking budget is spent, so this archive was not unpacked ({detail}). Grade it in a separate run."},
    "submissions.symlink": {
        "ko": "심볼릭 링크는 따라가지 않으므로 채점하지 않았습니다 ({detail}). 링크 대신 파일을 넣어 주세요.",
        "en": "Symbolic links are not followed, so this was not graded ({detail}). Put the file itself in its place."},
    "submissions.not_a_file": {
        "ko": "일반 파일이나 폴더가 아니어서 채점하지 않았습니다 ({detail}).",
        "en": "Not a regular file or folder, so it was not graded ({detail})."},
    "submissions.unreadable": {
        "ko": "폴더를 읽을 수 없습니다 ({detail}).",
        "en": "The folder cannot be read ({detail})."},
    "submissions.skipped_file": {
        "ko": "노트북이 아닌 큰 파일이라 압축을 풀지 않았고 채점하지 않았습니다 ({detail}). .ipynb 파일을 제출해 주세요.",
        "en": "A large file that is not a notebook was left packed and not graded ({detail}). Please submit the .ipynb file."},
    "submissions.too_many_files": {
        "ko": "제출 폴더에 파일이 너무 많아 채점하지 않았습니다 ({detail}).",
        "en": "The submission folder holds too many files, so it was not graded ({detail})."},
    # --- ingest: cells that cannot be read safely, definitions inside blocks ------------
    "ingest.error.too_deep": {
        "ko": "노트북 파일의 JSON이 너무 깊게 중첩되어 읽을 수 없습니다. 주피터에서 다시 저장해 주세요.",
        "en": "The notebook file's JSON is nested too deeply to read. Please save it again from Jupyter."},
    "ingest.error.too_many_values": {
        "ko": "노트북 파일에 JSON 값이 너무 많습니다(최대 {limit}개). 출력을 지우고 다시 저장해 주세요.",
        "en": "The notebook file holds too many JSON values (at most {limit}). Clear the outputs and save again."},
    "ingest.error.too_many_cells": {
        "ko": "노트북의 셀이 너무 많습니다(최대 {limit}개). 과제 노트북을 제출해 주세요.",
        "en": "The notebook has too many cells (at most {limit}). Please submit the assignment notebook."},
    "ingest.warn.not_text": {
        "ko": "셀 {cell}, {line}행에 텍스트가 아닌 문자({message})가 있어 이 셀은 채점에서 제외되었습니다.",
        "en": "Cell {cell}, line {line} holds a character that is not text ({message}), so this cell was left out of grading."},
    "ingest.warn.too_deep": {
        "ko": "셀 {cell}, {line}행의 코드가 {limit}단계보다 깊게 중첩되어 있어 이 셀은 채점에서 제외되었습니다.",
        "en": "Cell {cell}, line {line} nests code more than {limit} levels deep, so this cell was left out of grading."},
    "ingest.warn.too_complex": {
        "ko": "셀 {cell}({line}행 근처)은 파이썬이 읽기에 너무 복잡해서({message}) 채점에서 제외되었습니다. 아주 긴 식은 나누어 쓰세요.",
        "en": "Cell {cell} (near line {line}) is too complex for Python to read ({message}), so it was left out of grading; split very long expressions."},
    "ingest.warn.cell_too_large": {
        "ko": "셀 {cell}의 코드가 {size_kb} KB로 셀 하나의 한도({limit_kb} KB)를 넘어 채점에서 제외되었습니다. 큰 데이터는 코드에 붙여 넣지 말고 파일에서 읽으세요.",
        "en": "Cell {cell} holds {size_kb} KB of code, over the {limit_kb} KB limit for one cell, so it was left out of grading; load large data from a file instead of pasting it."},
    "ingest.warn.notebook_too_large": {
        "ko": "노트북의 코드가 전체 한도({limit_kb} KB)를 넘어 셀 {cells}(총 {count}개)은(는) 채점에서 제외되었습니다.",
        "en": "The notebook's code passes the {limit_kb} KB limit for a whole notebook, so cells {cells} ({count} in all) were left out of grading."},
    "ingest.warn.block_opened": {
        "ko": "셀 {cell}, {line}행의 최상위 `{block}` 블록 안에 있는 정의({names})를 채점에 사용했습니다. 블록 안의 다른 문장은 실행하지 않았습니다.",
        "en": "Cell {cell}, line {line}: the definitions inside the top-level `{block}` block ({names}) were kept for grading; its other statements were not run."},
    "ingest.warn.block_skipped": {
        "ko": "셀 {cell}, {line}행의 `{block}` 블록은 채점 때 실행하지 않으므로 그 안의 정의({names})는 채점에 쓰이지 않았습니다. 정의는 블록 밖 최상위에 두세요.",
        "en": "Cell {cell}, line {line}: the `{block}` block is not run for grading, so the definitions inside it ({names}) were not kept; put definitions at the top level."},
    "ingest.warn.unread_redefinition": {
        "ko": "셀 {cell}의 `{name}`은(는) 읽을 수 없어({problem}) 셀 {graded}의 정의를 대신 사용합니다.",
        "en": "`{name}` in cell {cell} could not be read ({problem}); the definition in cell {graded} is used instead."},
    "ingest.resolve.in_block": {
        "ko": "`{name}`은(는) 셀 {cell}, {line}행의 최상위 `{block}` 블록 안에서 찾아 채점했습니다.",
        "en": "`{name}` was found inside the top-level `{block}` block at cell {cell}, line {line}, and graded."},
    "ingest.resolve.unread_later": {
        "ko": "셀 {cell}의 `{name}`은(는) 읽을 수 없어({problem}) 셀 {graded}의 정의를 채점했습니다.",
        "en": "`{name}` in cell {cell} could not be read ({problem}); the definition in cell {graded} was graded."},
    "ingest.resolve.unread_missing": {
        "ko": "`{name}`은(는) 셀 {cell}에 있지만 그 셀을 읽을 수 없어({problem}) 채점할 정의가 없습니다.",
        "en": "`{name}` is in cell {cell}, but that cell could not be read ({problem}), so there is nothing to grade."},
    # grading.root: the other graded item a failing test's cause lies in (grading/roots.py)
    "grading.root.raised_in_other_item": {
        "ko": "오류는 채점 대상인 다른 항목 `{name}`(셀 {cell}, {line}행) 안에서 발생했습니다. `{name}`을(를) 먼저 고치세요.",
        "en": "The error was raised inside `{name}` (cell {cell}, line {line}), another graded item: fix `{name}` first."},
    "grading.root.passes_with_reference": {
        "ko": "{names}을(를) 올바르게 구현한 버전으로 바꾸면 이 테스트는 통과합니다. {names}부터 고치세요(점수는 제출한 코드 그대로 매겼습니다).",
        "en": "With a correct {names} this test passes: fix {names} first (the score is still what your own code earned)."},
}


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    """TOML tables [hint.name] with ko/en strings -> {"hint.name": {"ko": ..., "en": ...}}."""
    entries = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and set(value) == {"ko", "en"}:
            entries[key] = {"ko": str(value["ko"]), "en": str(value["en"])}
        elif isinstance(value, dict):
            entries.update(_flatten(value, key + "."))
        else:
            raise ValueError(f"{key}: a catalog entry is a table with exactly ko and en")
    return entries


def chapter_entries() -> dict[str, tuple[str, dict[str, str]]]:
    """Every chapter's sentences (its hints), as key -> (file it came from, entry)."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for folder in chapter_dirs():
        path = folder / MESSAGES_NAME
        if path.is_file():
            for key, entry in _flatten(tomllib.loads(path.read_text(encoding="utf-8"))).items():
                if key in found:
                    raise ValueError(f"{path}: catalog key {key} is also in {found[key][0]}")
                found[key] = (str(path), entry)
    return found


def _load_chapters() -> None:
    for key, (path, entry) in chapter_entries().items():
        if key in CATALOG:
            raise ValueError(f"{path}: catalog key {key} is already defined")
        CATALOG[key] = entry


_load_chapters()


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
