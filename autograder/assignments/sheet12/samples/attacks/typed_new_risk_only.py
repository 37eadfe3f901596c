"""Round three, item 6: nothing implemented but the statements, and new_risk typed in to full
precision (the value selfcheck.py held). The functions of part f's step cannot take it, so part f
is 0 and named [rounded], in the notebook's self-check as in the grader."""

EXPECTED = {
    "scores": {
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
    "mistake": "rounded",
}


# %% t12_1_2_deep_linear_forward_solution
def deep_linear_forward(x, weights):
    raise NotImplementedError()


# %% t12_1_2_grad_W3_solution
def grad_W3(x, y, W1, W2, W3):
    raise NotImplementedError()


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    raise NotImplementedError()


# %% t12_2b_sigmoid_solution
def sigmoid(Z):
    raise NotImplementedError()


# %% t12_2b_forward_solution
def forward(X, params):
    raise NotImplementedError()


# %% t12_2c_cross_entropy_solution
def cross_entropy(Y, Y_hat):
    raise NotImplementedError()


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    raise NotImplementedError()


# %% t12_2e_gd_step_solution
def gd_step(params, grads, lr):
    raise NotImplementedError()


# %% t12_2f_new_risk_solution
new_risk = 0.5845456711694604
