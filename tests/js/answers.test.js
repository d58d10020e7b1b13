/* static/js/answers.js against the shared case table (tests/data/answer_cases.json), which
 * tests/inspections/test_answers.py also runs against inspections/answers.py.
 * Run: node --test tests/js/answers.test.js (make test does). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const answers = require("../../static/js/answers.js");
const table = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "data", "answer_cases.json"), "utf8")
);

test("the table has at least 40 cases over every type", () => {
  assert.ok(table.cases.length >= 40);
  assert.deepEqual(
    [...new Set(table.cases.map((c) => c.type))].sort(),
    ["level", "percent", "yes_no"]
  );
});

for (const [index, c] of table.cases.entries()) {
  const name = `case ${index + 1}: ${c.type}${c.na_allowed ? " (N/A allowed)" : ""} ` +
    `${JSON.stringify(c.raw)} -> ${JSON.stringify(c.expect)}`;
  test(name, () => {
    assert.deepEqual(answers.parse(c.type, c.na_allowed, c.raw), c.expect);
  });
  if ("value" in c.expect) {
    test(`${name}: the form text of the value reads back the same`, () => {
      const text = answers.formText(c.expect.value);
      assert.deepEqual(answers.parse(c.type, c.na_allowed, text), c.expect);
    });
  }
}

for (const c of table.form_text) {
  test(`form text of ${c.value} with the mark "${c.mark}" is ${c.text}, and reads back`, () => {
    assert.equal(answers.formText(c.value, c.mark), c.text);
    assert.deepEqual(answers.parse("percent", false, c.text), { value: c.value });
  });
}

test("a typed value parses to itself, so a queued answer may be read again", () => {
  assert.deepEqual(answers.parse("percent", false, "92.5"), { value: "92.5" });
  assert.deepEqual(answers.parse("level", false, 3), { value: 3 });
  assert.deepEqual(answers.parse("yes_no", true, "na"), { value: "na" });
});

test("form text: yes/no, levels, percentages without a trailing .0", () => {
  assert.equal(answers.formText(true), "yes");
  assert.equal(answers.formText(false), "no");
  assert.equal(answers.formText(null), "");
  assert.equal(answers.formText(3), "3");
  assert.equal(answers.formText("98.0"), "98");
  assert.equal(answers.formText("100.0"), "100");
  assert.equal(answers.formText("0.0"), "0");
  assert.equal(answers.formText("92.5"), "92.5");
  assert.equal(answers.formText("na"), "na");
});

function fakeForm(fields) {
  // Just enough of querySelector for the three selectors fromControls uses.
  return {
    querySelector(selector) {
      if (selector === "input[name=na]") { return fields.find((f) => f.name === "na") || null; }
      if (selector === "input[name=value]:checked") {
        return fields.find((f) => f.name === "value" && f.type === "radio" && f.checked) || null;
      }
      return fields.find((f) => f.name === "value" && f.type !== "radio") || null;
    }
  };
}

test("the controls of a form give the raw answer, the N/A box first", () => {
  const radios = [
    { name: "value", type: "radio", value: "3", checked: false },
    { name: "value", type: "radio", value: "4", checked: true }
  ];
  assert.equal(answers.fromControls(fakeForm(radios)), "4");
  assert.equal(answers.fromControls(fakeForm([radios[0]])), "");
  const percent = [
    { name: "value", type: "text", value: "92,5" },
    { name: "na", type: "checkbox", checked: false }
  ];
  assert.equal(answers.fromControls(fakeForm(percent)), "92,5");
  percent[1].checked = true;
  assert.equal(answers.fromControls(fakeForm(percent)), "na");
});

test("messages come from the page by code and type, the code when one is missing", () => {
  const messages = { "out_of_range:level": "Mức phải là số nguyên từ 0 đến 4." };
  assert.equal(answers.message(messages, "out_of_range", "level"), messages["out_of_range:level"]);
  assert.equal(answers.message({}, "wrong_type", "percent"), "wrong_type");
});

test("an unknown answer type is a programming error, not a silent pass", () => {
  assert.throws(() => answers.parse("stars", false, "3"), /Unknown answer type/);
});
