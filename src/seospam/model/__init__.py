"""The model: estimators, training, evaluation, attribution, model files, and scoring pages with them."""
