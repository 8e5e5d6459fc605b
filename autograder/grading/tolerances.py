"""Every tolerance the hidden suites and the checks use, named, in one place.

A hidden test that needs a looser or tighter bound picks one of these names rather than
writing a number, so a reviewer can see at a glance why a comparison is as strict as it is.
"""

# Values computed in float64 by the same formula as the reference agree to ~1e-12; a
# student who reorders the arithmetic (exp then divide vs. divide then exp) stays well
# inside 1e-7 relative. Anything looser would let the one-sided difference of
# numerical_diff (off by ~1e-4 relative on our inputs) slip through.
RTOL = 1e-7
ATOL = 1e-9

# float32 carries ~7 significant digits; a student who casts to float32 (or whose data
# arrives as float32) is still right if the value agrees to single precision.
FLOAT32_RTOL = 1e-5
FLOAT32_ATOL = 1e-6

# A returned value "is" a known wrong variant when it agrees with it this closely; the
# bound is loose enough to survive float32 and reordering, tight enough not to confuse
# a variant with the right answer (variants differ from it by at least ~1e-4 relative).
VARIANT_RTOL = 1e-5
VARIANT_ATOL = 1e-8

# Cross-entropy: delta = 1e-7 inside the log shifts log(y) by about delta / y, so a student
# who leaves delta out (or picks 1e-8) agrees to ~1e-5 relative on probabilities >= 0.01.
# Losses are compared this loosely; a separate test with an exact 0 probability is what
# checks delta, and a missing batch mean is off by a factor of N anyway.
LOSS_RTOL = 1e-4

# --- gradient checks (CS231n relative error: |a-b| / max(1e-8, |a|+|b|), worst entry) ---
# Two analytic gradients (a student's backprop vs. the reference's) agree to round-off.
GRAD_REL_TOL = 1e-7
# A numerical gradient against an analytic one, or two numerical gradients taken with
# different step sizes: central differences with h=1e-4 are accurate to ~h^2 relative on
# smooth losses, and CS231n calls anything under 1e-4 acceptable near kinks.
NUMERICAL_GRAD_REL_TOL = 1e-4
# Entries whose absolute difference is below this are treated as equal before the ratio
# is taken: a gradient entry of 1e-11 against 3e-11 is round-off, not a wrong answer.
GRAD_ATOL = 1e-8

# --- numerical differentiation (the book's conventions) -----------------------------
# The book's step: large enough to avoid cancellation in float64, small enough that the
# central difference's O(h^2) error is ~1e-8.
NUMERICAL_H = 1e-4
# numerical_diff / numerical_gradient compared with the reference's own central
# difference: same formula, same h, so only round-off separates them (~1e-10 relative
# on our inputs), while a forward difference misses by ~1e-4 relative.
NUMERICAL_DIFF_RTOL = 1e-6
NUMERICAL_DIFF_ATOL = 1e-7

# The step for the numerical gradient of a student's forward (gradcheck.numerical_grad_of):
# smaller than the book's 1e-4 because layers are checked on inputs of order 1, where
# the O(h^2) truncation at 1e-5 is ~1e-10 and float64 cancellation ~1e-11 relative, both
# far under NUMERICAL_GRAD_REL_TOL.
BACKWARD_CHECK_H = 1e-5

# gradient_descent applies ~100 numerical steps; tiny per-step differences compound.
DESCENT_RTOL = 1e-5
DESCENT_ATOL = 1e-6
