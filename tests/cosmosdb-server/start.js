// Starts @vercel/cosmosdb-server over plain HTTP on 127.0.0.1 and a free port, prints
// "listening <port>" and serves until stdin closes (the test process ended) or it is killed.
//
// Three fixes are applied first, so the store runs against the same protocol as in production:
// 1. A point read of a document that does not exist answers 500 (a TypeError in read-document.js)
//    instead of Cosmos DB's 404.
// 2. The change feed answers one page (at most 1,000 documents) and then "not modified", because its
//    ETag, which the SDK sends back as the continuation, is always "1". Here the ETag carries the
//    server's own paging continuation, so a feed read from the beginning returns every document.
const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
const { readOperation } = require("@vercel/cosmosdb-server/lib/handler/_document-operations");
const getPartitionFromHeader = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header").default;

const original = readDocument.default;
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  if (collection.read()) {
    const result = readOperation(collection, { partitionKey: getPartitionFromHeader(req), id: params.docId });
    if (result.statusCode === 404) {
      res.statusCode = 404;
      return result.body;
    }
  }
  return original(account, req, res, params);
};

const readDocuments = require("@vercel/cosmosdb-server/lib/handler/read-documents");
const readAllDocuments = readDocuments.default;
const FEED_END = "end";
readDocuments.default = async (account, req, res, params) => {
  if (!req.headers["a-im"]) return readAllDocuments(account, req, res, params);
  const position = req.headers["if-none-match"];
  delete req.headers["if-none-match"];
  if (position === FEED_END) {
    res.statusCode = 304;
    res.setHeader("etag", FEED_END);
    res.setHeader("x-ms-item-count", "0");
    return {};
  }
  if (position && position !== "*") req.headers["x-ms-continuation"] = Buffer.from(position, "base64").toString("utf8");
  const body = await readAllDocuments(account, req, res, params);
  const next = res.getHeader("x-ms-continuation");
  const etag = next ? Buffer.from(String(next), "utf8").toString("base64") : FEED_END;
  const setHeader = res.setHeader.bind(res);
  setHeader("etag", etag);
  // index.js sets the change feed's ETag to "1" after the handler: keep ours.
  res.setHeader = (name, value) => (String(name).toLowerCase() === "etag" ? res : setHeader(name, value));
  return body;
};

// 3. A resource id in a path comes the way the SDK writes it, with "-" for base64's "/" (the 63rd
//    database is "gAA/AA=="): look it up as the id it stands for, so every database answers by id.
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const findItem = Items.prototype._item;
Items.prototype._item = function (keyPath, value, partition) {
  const found = findItem.call(this, keyPath, value, partition);
  if (found.read() || typeof value !== "string" || !value.includes("-")) return found;
  const byResourceId = findItem.call(this, keyPath, value.replace(/-/g, "/"), partition);
  return byResourceId.read() ? byResourceId : found;
};

const { createHttpServer } = require("@vercel/cosmosdb-server");
const server = createHttpServer({ keepAlive: true }).listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
