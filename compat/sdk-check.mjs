// Drives a running Switchboard with the official `openai` and `@openrouter/sdk` clients, exactly as an
// application would, and fails on any error or response-validation failure. The gateway must serve the
// simulator models (a fresh start without provider credentials does).
// Env: SWITCHBOARD_URL (…/api/v1), SWITCHBOARD_API_KEY, SWITCHBOARD_ADMIN_KEY.
import OpenAI from "openai";
import { OpenRouter } from "@openrouter/sdk";

const base = process.env.SWITCHBOARD_URL;
const apiKey = process.env.SWITCHBOARD_API_KEY;
const adminKey = process.env.SWITCHBOARD_ADMIN_KEY;
const model = "simulator/small";
const messages = [{ role: "user", content: "Say something" }];
let passed = 0, failed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`  ok    ${name}`);
  } catch (e) {
    failed++;
    const detail = e?.cause?.issues ? JSON.stringify(e.cause.issues).slice(0, 600) : "";
    console.log(`  FAIL  ${name}: ${String(e).slice(0, 300)} ${detail}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const openai = new OpenAI({ baseURL: base + "/", apiKey });
await check("openai: chat completion", async () => {
  const r = await openai.chat.completions.create({ model, messages, max_tokens: 4 });
  expect(r.id.startsWith("gen-"), "id is gen-…");
  expect(r.choices[0].message.content.length > 0, "has content");
  expect(r.usage.completion_tokens === 4 && r.usage.cost > 0, "usage with cost");
});
await check("openai: stream through keep-alive comments", async () => {
  const stream = await openai.chat.completions.create({ model, messages, max_tokens: 4, stream: true, simulator: { ttft_ms: 1300 } });
  let text = "", usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? "";
    usage = chunk.usage ?? usage;
  }
  expect(text.split(" ").length === 4, "four words streamed");
  expect(usage?.completion_tokens === 4, "usage chunk received");
});
await check("openai: API error surfaces with its status", async () => {
  try {
    await openai.chat.completions.create({ model: "nope/nope", messages });
    throw new Error("no error raised");
  } catch (e) {
    expect(e.status === 400, "status 400, got " + e.status);
  }
});

const openrouter = new OpenRouter({ apiKey, serverURL: base });
let generationId;
await check("openrouter: chat.send", async () => {
  const r = await openrouter.chat.send({ chatRequest: { model, messages, maxTokens: 4 } });
  generationId = r.id;
  expect(r.choices[0].message.content.length > 0, "has content");
});
await check("openrouter: chat.send streaming", async () => {
  const stream = await openrouter.chat.send({ chatRequest: { model, messages, maxTokens: 4, stream: true } });
  let usage;
  for await (const chunk of stream) usage = chunk.usage ?? usage;
  expect(usage?.completionTokens === 4, "usage chunk received");
});
await check("openrouter: models.list", async () => { await openrouter.models.list({}); });
await check("openrouter: endpoints.list", async () => {
  const r = await openrouter.endpoints.list({ author: "meta-llama", slug: "llama-3.3-70b-instruct" });
  expect(r.data.endpoints.length >= 2, "several endpoints");
});
await check("openrouter: providers.list", async () => { await openrouter.providers.list(); });
await check("openrouter: apiKeys.getCurrentKeyMetadata", async () => {
  const r = await openrouter.apiKeys.getCurrentKeyMetadata();
  expect(r.data.isManagementKey === false, "an API key");
});
await check("openrouter: generations.getGeneration", async () => {
  const r = await openrouter.generations.getGeneration({ id: generationId });
  expect(r.data.id === generationId, "same id");
});
await check("openrouter: typed error on an unknown model", async () => {
  try {
    await openrouter.chat.send({ chatRequest: { model: "nope/nope", messages } });
    throw new Error("no error raised");
  } catch (e) {
    expect(e.constructor.name === "BadRequestResponseError", "BadRequestResponseError, got " + e.constructor.name);
  }
});

const admin = new OpenRouter({ apiKey: adminKey, serverURL: base });
await check("openrouter: apiKeys create, list, get, update, delete", async () => {
  const created = await admin.apiKeys.create({ requestBody: { name: "sdk check" } });
  expect(created.key.startsWith("sk-sb-v1-"), "secret returned once");
  const hash = created.data.hash;
  await admin.apiKeys.list({});
  await admin.apiKeys.get({ hash });
  const updated = await admin.apiKeys.update({ hash, requestBody: { disabled: true } });
  expect(updated.data.disabled === true, "disabled");
  await admin.apiKeys.delete({ hash });
});

console.log(`sdk-check: ${passed} of ${passed + failed} official SDK checks succeeded`);
process.exit(failed === 0 ? 0 : 1);
