"""Control flow: cond, case, switch_case, while_loop, map_fn/scan/folds, TensorArray, asserts."""
