"""Every sentence the local checker prints, in Korean and English.

The checker runs on a student's laptop without the grader, so it keeps its own small
catalog. `say(key, lang, **fields)` renders one entry; a project test renders them all.
Keys: ui.* (the table and the command line), outcome.* (why a test did not pass),
why.* (what a public check found), hint.* (what to look at next).
"""

from __future__ import annotations

LANGS = ("ko", "en")
DEFAULT_LANG = "ko"

CATALOG = {
    # --- the table and the command line ------------------------------------------
    "ui.heading": {"ko": "{title} — 공개 테스트 ({source})",
                   "en": "{title} — public tests ({source})"},
    "ui.col_item": {"ko": "항목", "en": "Item"},
    "ui.col_result": {"ko": "결과", "en": "Result"},
    "ui.col_test": {"ko": "테스트", "en": "Test"},
    "ui.col_why": {"ko": "이유", "en": "Why"},
    "ui.col_hint": {"ko": "힌트", "en": "Hint"},
    "ui.passed": {"ko": "통과", "en": "pass"},
    "ui.not_passed": {"ko": "실패", "en": "FAIL"},
    "ui.n_tests": {"ko": "공개 테스트 {count}개 모두", "en": "all {count} public tests"},
    "ui.points": {"ko": "{points}점", "en": "{points} pt"},
    "ui.summary": {"ko": "공개 테스트 {total}개 중 {passed}개 통과",
                   "en": "{passed} of {total} public tests passed"},
    "ui.all_passed": {
        "ko": "모두 통과했습니다. 점수는 채점할 때 비공개 테스트가 정합니다.",
        "en": "All passed. Your score is decided by the hidden tests when grading."},
    "ui.live_kernel": {"ko": "지금 커널", "en": "live kernel"},
    "ui.notebook_problems": {"ko": "노트북에서 읽지 못한 부분", "en": "Parts of the notebook that could not be read"},
    "ui.syntax_error": {"ko": "셀 {cell}, {line}행: 문법 오류라서 이 셀은 건너뛰었습니다 ({message})",
                        "en": "cell {cell}, line {line}: syntax error, so this cell was skipped ({message})"},
    "ui.statement_failed": {"ko": "셀 {cell}, {line}행: 실행 중 오류 ({error})",
                            "en": "cell {cell}, line {line}: failed when run ({error})"},
    "ui.cell_magic": {"ko": "셀 {cell}: 셀 매직(%%)이 있는 셀은 건너뛰었습니다",
                      "en": "cell {cell}: a cell magic (%%) cell was skipped"},
    "ui.no_file": {"ko": "파일이 없습니다: {path}", "en": "No such file: {path}"},
    "ui.not_notebook": {"ko": "주피터 노트북(.ipynb)으로 읽을 수 없습니다: {path} ({reason})",
                        "en": "Cannot read this as a Jupyter notebook (.ipynb): {path} ({reason})"},
    "ui.unknown_chapter": {"ko": "알 수 없는 과제입니다: {name} (있는 과제: {known})",
                           "en": "Unknown assignment: {name} (known: {known})"},
    "ui.no_chapter": {
        "ko": "어느 과제의 노트북인지 알 수 없습니다. --chapter chNN 으로 알려 주세요 (있는 과제: {known})",
        "en": "Cannot tell which assignment this notebook is for; name it with --chapter chNN (known: {known})"},
    "ui.unknown_item": {"ko": "{chapter} 과제에는 {item} 항목이 없습니다 (있는 항목: {known})",
                        "en": "Assignment {chapter} has no item {item} (items: {known})"},
    "ui.no_public_tests": {"ko": "{chapter} 과제에는 공개 테스트가 없습니다",
                           "en": "Assignment {chapter} has no public tests"},
    # A chapter folder handed out alone or uploaded file by file can miss a piece: one line
    # that says which and where it goes, never a traceback.
    "ui.no_index": {
        "ko": "chapter.json 을 찾지 못했습니다: 장 폴더의 chapter.json 을 {folder} 에 두고 다시 실행하세요",
        "en": "chapter.json was not found: put the chapter folder's chapter.json in {folder} and run again"},
    "ui.missing_public": {
        "ko": "공개 테스트 파일이 없습니다 ({files}): 장 폴더의 public/ 폴더를 {folder} 에 두고 다시 실행하세요",
        "en": "Public test files are missing ({files}): put the chapter folder's public/ folder in {folder} and run again"},

    # --- why a test did not pass (the student's code, not a wrong value) ----------
    "outcome.missing": {"ko": "{name} 을(를) 찾을 수 없습니다. 이 이름으로 정의했나요?",
                        "en": "{name} is not defined. Did you define it under this name?"},
    "outcome.imported": {"ko": "{name} 을(를) 직접 작성하지 않고 {module} 에서 가져왔습니다",
                         "en": "{name} is imported from {module} instead of written here"},
    "outcome.not_callable": {"ko": "{name} 이(가) 함수나 클래스가 아니라 {kind} 값입니다",
                             "en": "{name} is a {kind} value, not a function or class"},
    "outcome.not_implemented": {"ko": "아직 구현하지 않았습니다 (NotImplementedError)",
                                "en": "Not implemented yet (NotImplementedError)"},
    "outcome.raised": {"ko": "코드에서 {error} 이(가) 발생했습니다{where}",
                       "en": "Your code raised {error}{where}"},
    "outcome.where": {"ko": " (셀 {cell}, {line}행)", "en": " (cell {cell}, line {line})"},
    "outcome.timeout": {"ko": "{seconds}초 안에 끝나지 않았습니다", "en": "Did not finish within {seconds} s"},
    "outcome.unexpected": {
        "ko": "결과를 검사하다가 {error} 이(가) 발생했습니다. 반환하는 값의 종류와 모양을 확인하세요",
        "en": "Checking your result raised {error}; check the kind and shape of what your code returns"},
    "outcome.test_broken": {"ko": "공개 테스트 자체의 오류입니다. 조교에게 알려 주세요: {error}",
                            "en": "The public test itself is broken; please tell your TA: {error}"},

    # --- what a public check found ----------------------------------------------
    "why.none": {"ko": "{call} 이(가) 아무것도 반환하지 않았습니다 (None). return 을 잊었나요?",
                 "en": "{call} returned nothing (None). Is a return missing?"},
    "why.not_numeric": {"ko": "{call} 이(가) 숫자 배열이 아닌 {kind} 을(를) 반환했습니다",
                        "en": "{call} returned a {kind}, not numbers"},
    "why.shape": {"ko": "{call} 의 모양이 {got} 입니다. {want} 이어야 합니다",
                  "en": "{call} has shape {got}; it should be {want}"},
    "why.dtype": {"ko": "{call} 의 자료형이 {got} 입니다. {want} 이어야 합니다",
                  "en": "{call} has dtype {got}; it should be {want}"},
    "why.not_finite": {"ko": "{call} 에 inf 나 nan 이 {count}개 있습니다",
                       "en": "{call} holds {count} inf or nan values"},
    "why.property": {"ko": "{call}: {what} 이(가) 성립하지 않습니다 (최대 차이 {diff})",
                     "en": "{call}: {what} does not hold (largest difference {diff})"},
    "why.flag": {"ko": "{call}: {what} 이(가) 성립하지 않습니다",
                 "en": "{call}: {what} does not hold"},
    "why.hash": {"ko": "{call} 의 값이 맞지 않습니다 (소수 {decimals}자리까지 비교, 정답은 공개하지 않습니다)",
                 "en": "{call} has the wrong value (compared to {decimals} decimals; the answer is not shown)"},
    "why.grad": {
        "ko": "{call} 이(가) 같은 순전파의 수치 미분과 다릅니다 (상대 오차 {error}, 허용 {limit})",
        "en": "{call} differs from the numerical gradient of the same forward pass (relative error {error}, limit {limit})"},
    "why.keys": {"ko": "{call} 에 키 {missing} 이(가) 없습니다", "en": "{call} lacks the key(s) {missing}"},
    "why.not_dict": {"ko": "{call} 이(가) dict 가 아닌 {kind} 입니다", "en": "{call} is a {kind}, not a dict"},

    # --- what to look at next -----------------------------------------------------
    "hint.return_array": {"ko": "np.ndarray 를 반환하세요. 입력과 같은 모양이 보통입니다.",
                          "en": "Return an np.ndarray; usually of the same shape as the input."},
    "hint.int_not_bool": {"ko": "비교 결과(True/False)는 .astype(int) 등으로 숫자로 바꾸세요.",
                          "en": "Turn a comparison (True/False) into numbers, e.g. with .astype(int)."},
    "hint.overflow": {"ko": "큰 입력에서 np.exp 가 넘칩니다. 지수를 취하기 전에 값을 줄이는 방법을 책에서 찾아보세요.",
                      "en": "np.exp overflows on large inputs; the book shows how to shrink the values before exp."},
    "hint.batch_axis": {"ko": "배치 (N, C) 입력에서는 행마다 따로 계산해야 합니다. axis 와 keepdims 를 확인하세요.",
                        "en": "For a batch (N, C), work row by row: check axis and keepdims."},
    "hint.no_inplace": {"ko": "입력 배열을 직접 바꾸지 말고 새 배열을 만드세요.",
                        "en": "Do not change the input array in place; build a new one."},
    "hint.restore_input": {"ko": "x[idx] 를 바꾼 뒤에는 원래 값으로 되돌려 놓아야 합니다.",
                           "en": "After changing x[idx], put the original value back."},
    "hint.central_difference": {"ko": "중심 차분 (f(x+h) - f(x-h)) / 2h 를 쓰고, 괄호를 확인하세요.",
                                "en": "Use the central difference (f(x+h) - f(x-h)) / 2h, and check the brackets."},
    "hint.backward_matches_forward": {
        "ko": "순전파에서 저장한 값(self.x, self.mask, self.out 등)과 연쇄 법칙을 확인하세요.",
        "en": "Check what forward stores (self.x, self.mask, self.out, ...) and the chain rule."},
    "hint.param_grads": {"ko": "backward 가 dW, db 도 채우는지, 배치 방향(axis=0)으로 합했는지 확인하세요.",
                         "en": "Check that backward fills dW and db too, summed over the batch (axis=0)."},
    "hint.batch_mean": {"ko": "배치 손실은 샘플 수로 나눈 평균입니다.",
                        "en": "A batch loss is the mean over the samples."},
    "hint.labels_and_onehot": {"ko": "정답 t 는 원-핫 배열일 수도, 정답 번호 배열일 수도 있습니다.",
                               "en": "t may be one-hot rows or class labels."},
    "hint.update_in_place": {"ko": "params[key] -= ... 처럼 params 안의 배열을 직접 갱신하세요.",
                             "en": "Update the arrays inside params in place, as params[key] -= ..."},
    "hint.state_per_key": {"ko": "v, h, m 같은 상태는 매개변수 키마다 따로 두어야 합니다.",
                           "en": "Keep state such as v, h, m separately for each parameter key."},
    "hint.step_direction": {"ko": "기울기의 반대 방향으로 움직여야 손실이 줄어듭니다.",
                            "en": "Step against the gradient, or the loss grows."},
    "hint.book_values": {"ko": "책의 예제 값을 그대로 옮겼는지 확인하세요.",
                         "en": "Check that you copied the book's example values exactly."},
    "hint.formula": {"ko": "책의 식과 한 글자씩 비교해 보세요.",
                     "en": "Compare with the book's formula, symbol by symbol."},
    "hint.window_order": {"ko": "im2col 의 행은 (n, oh, ow) 순서, 열은 (c, fh, fw) 순서입니다.",
                          "en": "im2col rows run over (n, oh, ow), its columns over (c, fh, fw)."},
    "hint.sum_overlaps": {"ko": "col2im 은 겹치는 창의 값을 더해야 합니다 (덮어쓰지 말고).",
                          "en": "col2im must add up overlapping windows (not overwrite them)."},
    "hint.output_size": {"ko": "출력 크기 식 (H + 2P - FH) / S + 1 을 확인하세요.",
                         "en": "Check the output-size formula (H + 2P - FH) / S + 1."},
    "hint.train_flag": {"ko": "train_flg 가 True 일 때와 False 일 때 하는 일이 다릅니다.",
                        "en": "train_flg True and False do different things."},
    "hint.params_layout": {"ko": "params 의 키와 모양은 책의 네트워크와 같아야 합니다 (W1, b1, ...).",
                           "en": "params needs the book's keys and shapes (W1, b1, ...)."},
}


def say(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    entry = CATALOG[key]
    return entry[lang if lang in entry else DEFAULT_LANG].format(**fields)
