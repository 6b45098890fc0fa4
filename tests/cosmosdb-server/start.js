// Starts @vercel/cosmosdb-server over plain HTTP on 127.0.0.1 and a free port, prints
// "listening <port>" and serves until stdin closes (the test process ended) or it is killed.
//
// One fix is applied first: a point read of a document that does not exist answers 500 (a
// TypeError in read-document.js) instead of Cosmos DB's 404. The wrapper answers 404 as the service
// does, so the store's not-found path runs against the same protocol as in production.
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

const { createHttpServer } = require("@vercel/cosmosdb-server");
const server = createHttpServer({ keepAlive: true }).listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
