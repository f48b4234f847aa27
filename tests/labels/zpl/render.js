// Renders ZPL offline with Zebrash (zpl-renderer-js) for the label tests.
// One request per stdin line, JSON {"zpl": ..., "width_mm": ..., "height_mm": ..., "dpmm": ...};
// one answer per stdout line, JSON {"pngs": [base64 PNG per label]} or {"error": message}.
const readline = require("node:readline");
const { ready } = require("zpl-renderer-js");

async function main() {
  const { api } = await ready;
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    let answer;
    try {
      const request = JSON.parse(line);
      const pngs = await api.zplToBase64MultipleAsync(request.zpl, request.width_mm, request.height_mm, request.dpmm);
      answer = { pngs };
    } catch (error) {
      answer = { error: String(error && error.message ? error.message : error) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
