"""tsml over a ticker universe with Airflow dynamic task mapping, and seed 003's monitor-then-retrain branch.

Every stage is one task mapped over SHARDS shards (`.expand()`): mapped task i runs `tsml --shard auto ...`
with TSML_SHARD_INDEX=i and TSML_SHARDS=SHARDS in its environment (tsml's documented variables for Airflow:
the mapped task's map_index is the shard index). All workers share the workspace folder (a network file
system); each shard writes only its own tickers' artifacts, atomically, so the next stage sees the union.

Monitoring (seed 003): `tsml evaluate --last 40 --fail-if "roc_auc<0.8"` exits 5 when the gate fails on one
of the shard's tickers. The branch retrains only the shards whose gate failed, then scores them again;
when every shard is healthy it takes the other way and nothing is retrained.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime

from airflow.decorators import dag, task
from airflow.exceptions import AirflowException
from airflow.operators.bash import BashOperator
from airflow.operators.empty import EmptyOperator

SHARDS = 8
WORKSPACE = "/shared/tsml-workspace"
# The exit code tsml uses when a --fail-if gate holds (README: exit codes).
GATE_FAILED = 5

# Every tsml command line of this DAG, as typed (test/examples.test.ts checks each against the CLI).
COMMANDS = {
    "ingest": "tsml --shard auto ingest csv /shared/data/universe.csv",
    "features": "tsml --shard auto features --set seed001",
    "train": "tsml --shard auto train --model rf --split-date 2016-01-01 --jobs 2",
    "backtest": "tsml --shard auto backtest --strategy long-only --no-chart",
    "monitor": 'tsml --shard auto evaluate --last 40 --fail-if "roc_auc<0.8"',
    "retrain": "tsml --shard auto train --model rf --tune --split-date 2016-01-01 --jobs 2",
    "rescore": "tsml --shard auto backtest --strategy long-only --no-chart && tsml --shard auto evaluate --last 40",
}


def shard_env(index: int) -> dict[str, str]:
    """The environment `tsml --shard auto` reads for shard `index` of SHARDS."""
    return {"TSML_SHARD_INDEX": str(index), "TSML_SHARDS": str(SHARDS), "TSML_WORKSPACE": WORKSPACE}


def mapped_stage(task_id: str, envs):
    """One BashOperator per shard; append_env keeps PATH and the worker's own variables."""
    return BashOperator.partial(task_id=task_id, bash_command=COMMANDS[task_id], append_env=True).expand(
        env=envs
    )


@dag(schedule="0 22 * * 1-5", start_date=datetime(2024, 1, 1), catchup=False, tags=["tsml"])
def tsml_shards():
    every_shard = [shard_env(i) for i in range(SHARDS)]
    ingest = mapped_stage("ingest", every_shard)
    features = mapped_stage("features", every_shard)
    train = mapped_stage("train", every_shard)
    backtest = mapped_stage("backtest", every_shard)

    @task
    def monitor(index: int) -> int | None:
        """Seed 003's monitoring on one shard: the shard's index when its gate failed, None when healthy."""
        run = subprocess.run(
            shlex.split(COMMANDS["monitor"]), env={**os.environ, **shard_env(index)}, capture_output=True, text=True
        )
        print(run.stdout, run.stderr)
        if run.returncode == GATE_FAILED:
            return index
        if run.returncode != 0:
            raise AirflowException(f"tsml evaluate failed on shard {index} (exit {run.returncode})")
        return None

    @task.branch
    def retrain_needed(failed: list[int | None]) -> str:
        return "failed_shards" if any(i is not None for i in failed) else "healthy"

    @task
    def failed_shards(failed: list[int | None]) -> list[dict[str, str]]:
        return [shard_env(i) for i in failed if i is not None]

    monitored = monitor.expand(index=list(range(SHARDS)))
    branch = retrain_needed(monitored)
    to_retrain = failed_shards(monitored)
    retrain = mapped_stage("retrain", to_retrain)
    rescore = mapped_stage("rescore", to_retrain)
    healthy = EmptyOperator(task_id="healthy")

    ingest >> features >> train >> backtest >> monitored
    branch >> [to_retrain, healthy]
    retrain >> rescore


tsml_shards()
