// Registers every built-in tabular model family (imported once by commands that need models).
// Each family adds one import line here.

import "./knn/k-nearest-neighbors.js";
import "./logistic/logistic-regression.js";
import "./mlp/mlp-classifier.js";
import "./nn/neural-net.js";
import "./ridge/ridge-classifier.js";
import "./svm/support-vector-classifier.js";
import "./dtab/dtab-factory.js";
import "./et/et-factory.js";
import "./gbdt/gbdt-factory.js";
import "./rf/rf-factory.js";
