# %% [markdown]
# # Jet classifier
#
# Write `build_model` and `train` (the contract is in `README.md`), or train a model your own way and submit it saved as `jet_model.keras`.
#
# **The grader executes this whole notebook from top to bottom** and then calls your `build_model` and `train` itself. Keep `TRY_IT = False` when you submit, so the experiment cells at the end do not run during grading.

# %%
import keras
import numpy as np

TRY_IT = False  # True while you experiment; False when you submit

# %% [markdown]
# ## The model
#
# Input: 16 raw float32 features (mass in GeV, multiplicity in counts, ratios below 1). Output: 5 class probabilities in the order g, q, t, w, z. The grader calls `model.predict` on raw features, so any scaling must be part of the model.

# %%
def build_model(n_features=16, n_classes=5):
    """Return a compiled Keras model: (n, n_features) -> (n, n_classes) softmax probabilities."""
    raise NotImplementedError("build_model is not written yet")

# %% [markdown]
# ## Training
#
# `y_train` and `y_val` are integer class indices 0-4 (g, q, t, w, z), not one-hot. Train the `model` you are given (the grader predicts with that same object) and stay within the time budget.

# %%
def train(model, X_train, y_train, X_val, y_val):
    """Fit model on the raw features; return the keras History, a dict of loss lists, or None."""
    raise NotImplementedError("train is not written yet")

# %% [markdown]
# ## Try it out
#
# `load_jets("openml")` downloads the real data once (about 830,000 jets) into scikit-learn's cache; offline, `load_jets("surrogate")` generates a surrogate with the same schema. The grader splits the same way: 80/20 with `random_state=42`.

# %%
if TRY_IT:
    from grader.jets.data import encode_labels, load_jets, split_jets
    from sklearn.model_selection import train_test_split

    X, y = load_jets("surrogate", n_samples=100_000)  # or load_jets("openml")
    X_rest, X_test, y_rest, y_test = split_jets(X.to_numpy(np.float32), encode_labels(y))
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.1, random_state=0)

    model = build_model(16, 5)
    history = train(model, X_train, y_train, X_val, y_val)
    probs = model.predict(X_test, verbose=0)
    print("test accuracy", np.mean(probs.argmax(axis=1) == y_test))

# %%
# To submit a trained model instead of (or besides) the code:
# model.save("jet_model.keras")
