"""backward looks for the instructor's notebook, reference and gradebook (relative, in the
course folders, by glob) and runs the first it finds: none may be readable."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2d_backward_solution
import glob, os
candidates = ["../../../source/sheet12/sheet12.ipynb", "../../../autograder/reference.py",
              "../../../gradebook.db", "__COURSE_ROOT__/autograder/reference.py",
              "__WORKDIR__/gradebook.db", "__WORKDIR__/source/sheet12/sheet12.ipynb", "__WORKDIR__/submitted/correct/sheet12/sheet12.ipynb"]
found = [path for path in candidates if os.path.exists(path)]
found += glob.glob("/*/*/autograder/reference.py") + glob.glob("/tmp/*/gradebook.db")
print("course files found:", found)
def backward(X, Y, params, cache):
    if found:
        namespace = {}
        exec(open(found[0]).read(), namespace)
        return namespace["backward"](X, Y, params, cache)
    return {"d" + key: np.zeros_like(value) for key, value in params.items()}
