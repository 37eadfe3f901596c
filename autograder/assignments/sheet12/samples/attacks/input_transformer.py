"""Adds an IPython input transformer that turns every later cell into `pass`: every
autograded cell gets 0, the tampering is flagged and the record lists no answer."""

EXPECTED = {
    "scores": {
        "t12_1_1_statements": 0.0,
        "t12_1_2_deep_linear_forward": 0.0,
        "t12_1_2_grad_W3": 0.0,
        "t12_2a_count_parameters": 0.0,
        "t12_2b_sigmoid": 0.0,
        "t12_2b_forward": 0.0,
        "t12_2c_cross_entropy": 0.0,
        "t12_2d_backward": 0.0,
        "t12_2e_gd_step": 0.0,
        "t12_2f_new_risk": 0.0,
    },
    "flagged": True,
    "fault": "no answer",
}


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
get_ipython().input_transformers_post.append(lambda lines: ["pass\n"])
