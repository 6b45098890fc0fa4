// Starts Azurite's blob and queue services on 127.0.0.1 and free ports, in memory, passes on its
// "listening at" lines and then prints "ready", and serves until stdin closes (the test process
// ended) or it is killed.
//
// --skipApiVersionCheck: Azurite 3.37 refuses the newer service version that Azure.Storage.Blobs
// 12.30 and Azure.Storage.Queues 12.28 send by default; the requests themselves are ones it serves.
const { spawn } = require("child_process");
const path = require("path");

const bin = path.join(__dirname, "node_modules", "azurite", "dist", "src", "azurite.js");
const azurite = spawn(process.execPath, [
  bin,
  "--blobHost", "127.0.0.1", "--blobPort", "0",
  "--queueHost", "127.0.0.1", "--queuePort", "0",
  "--tableHost", "127.0.0.1", "--tablePort", "0",
  "--inMemoryPersistence", "--extentMemoryLimit", "4096",
  "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry",
], { cwd: __dirname, stdio: ["ignore", "pipe", "inherit"] });

const listening = new Set();
let buffered = "";
azurite.stdout.on("data", (chunk) => {
  buffered += chunk.toString("utf8");
  let newline;
  while ((newline = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, newline).trim();
    buffered = buffered.slice(newline + 1);
    const match = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
    if (!match) continue;
    process.stdout.write(`${match[1].toLowerCase()} ${match[2]}\n`);
    listening.add(match[1]);
    if (listening.size === 3) process.stdout.write("ready\n");
  }
});
azurite.on("exit", (code) => process.exit(code ?? 1));

const stop = () => {
  azurite.kill("SIGTERM");
  setTimeout(() => process.exit(0), 2000).unref();
};
process.stdin.on("end", stop);
process.on("SIGTERM", stop);
process.stdin.resume();
