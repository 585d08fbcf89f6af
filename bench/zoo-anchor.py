# scikit-learn anchor for bench/zoo-compare.mjs: the non-tree families on the first 4,000 rows of the synthetic
# table (bench/trees-make-data.py), fit on 3,000, test accuracy and fit seconds. Usage: /usr/bin/python3 bench/zoo-anchor.py
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.svm import SVC
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
warnings.filterwarnings("ignore")
prefix = "/tmp/tsml-trees-bench"
y=np.fromfile(prefix+".y.f64",dtype="<f8"); X=np.fromfile(prefix+".X.f64",dtype="<f8").reshape(-1,len(y)).T.copy()
X=X[:4000]; y=y[:4000]; cut=3000
for name,m in [("ols",LogisticRegression()),("ridge",RidgeClassifier(alpha=0)),("sv",SVC()),("svlin",SVC(kernel="linear")),("knn",KNeighborsClassifier(n_neighbors=12,weights="distance",p=1)),("mlp",MLPClassifier(random_state=0))]:
    t=time.time(); m.fit(X[:cut],y[:cut]); print(name, round(m.score(X[cut:],y[cut:]),4), round(time.time()-t,2))
