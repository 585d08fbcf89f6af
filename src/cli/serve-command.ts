// `tsml serve`: HTTP API over the registry's current models.

import type { Command } from "commander";
import type { ServeOptions } from "../commands/serve.js";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerServe(program: Command): void {
  typed(program.command("serve"))
    .description("serve registered models: GET /models, GET /prediction, POST /predict, GET /healthz")
    .option("--host <host>", "address to bind (default 127.0.0.1, loopback only)")
    .option("--port <port>", "port (default 8000; 0 picks a free one)")
    .option("--token <token>", "require Authorization: Bearer <token> (env TSML_TOKEN)")
    .option("--body-limit <bytes>", "largest request body accepted (default 1048576)")
    .option(
      "--request-timeout <ms>",
      "time a client gets to send a whole request (and to read a reply) before its socket is closed (default 10000)",
    )
    .addHelpText(
      "after",
      "\nExample:\n  tsml serve --port 8000\n  curl 'http://127.0.0.1:8000/prediction?symbol=SPX&trend_type=up'\n",
    )
    .action(
      runAction(async (_args, options: ServeOptions, ctx) =>
        (await import("../commands/serve.js")).serveCommand(options, ctx),
      ),
    );
}
