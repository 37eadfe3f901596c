"""Sends, signed with the kernel's own key, a message whose content is not JSON and a display
output whose data is not a mapping, both as outputs of the cell: each is ignored with a
"malformed message" fault, and every answer keeps its points."""

EXPECTED = {"fault": "malformed message"}


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
_kernel = get_ipython().kernel
_kernel.session.send(_kernel.iopub_socket, "stream", content=b"this is not JSON", parent=_kernel.get_parent())
_kernel.session.send(_kernel.iopub_socket, "display_data", content={"data": "not a mapping"}, parent=_kernel.get_parent())
