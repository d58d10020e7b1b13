/* The answer contract in the browser: inspections/answers.py, line for line. Whatever a
 * control holds (or any JSON value) becomes a typed answer, { value: … }, or an error code,
 * { error: "wrong_type" | "out_of_range" | "too_many_decimals" | "na_not_allowed" }; the
 * page gives the messages (rendered by the server from the same gettext strings).
 * Typed values: true/false, a level 0-4, a percentage as exact text with one decimal
 * ("92.5"), "na" or null. tests/data/answer_cases.json pins this file and the Python module.
 * A plain script for the pages (CSX.answers) and a module for Node (require), no bundler. */
(function (root, factory) {
  "use strict";
  var answers = factory();
  if (typeof module === "object" && module && module.exports) { module.exports = answers; }
  if (root) { root.CSX = root.CSX || {}; root.CSX.answers = answers; }
}(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";
  var NA = "na";
  var TOP_LEVEL = 4;
  // Trimmed from text: ASCII white space and the no-break space (the same set as Python's).
  var SPACE = /^[ \t\n\r\f\v\u00a0]+|[ \t\n\r\f\v\u00a0]+$/g;
  // ASCII digits only: "²", "①", "٩٨" or "９８" are no digits here.
  var LEVEL_TEXT = /^-?[0-9]+$/;
  var NUMBER_TEXT = /^-?[0-9]+(?:[.,][0-9]+)?$/;

  function ok(value) { return { value: value }; }
  function fail(code) { return { error: code }; }

  function yesNo(raw) {
    if (typeof raw === "boolean") { return ok(raw); }
    if (raw === "yes" || raw === "no") { return ok(raw === "yes"); }
    return fail("wrong_type");
  }

  function level(raw) {
    var digits;
    if (typeof raw === "number") {
      // JSON cannot tell 3 from 3.0 here: both are the integer 3 (Python refuses 3.0).
      if (!Number.isInteger(raw)) { return fail("wrong_type"); }
      return raw < 0 || raw > TOP_LEVEL ? fail("out_of_range") : ok(raw === 0 ? 0 : raw);
    }
    if (typeof raw !== "string" || !LEVEL_TEXT.test(raw)) { return fail("wrong_type"); }
    digits = raw.replace(/^-/, "").replace(/^0+/, "");
    if (digits === "") { return ok(0); } // "0", "000", "-0"
    if (raw.charAt(0) === "-" || digits.length > 1 || Number(digits) > TOP_LEVEL) {
      return fail("out_of_range");
    }
    return ok(Number(digits));
  }

  // A plain decimal text ("-?digits(.digits)?"), compared as text so that no float rounds it.
  function percentText(text) {
    var negative = text.charAt(0) === "-";
    var parts = (negative ? text.slice(1) : text).split(".");
    var whole = parts[0].replace(/^0+/, "");
    var fraction = (parts[1] || "").replace(/0+$/, "");
    if (negative && (whole !== "" || fraction !== "")) { return fail("out_of_range"); }
    if (whole.length > 3 || Number(whole) > 100 || (whole === "100" && fraction !== "")) {
      return fail("out_of_range");
    }
    if (fraction.length > 1) { return fail("too_many_decimals"); }
    return ok((whole || "0") + "." + (fraction || "0"));
  }

  function percent(raw) {
    var text;
    if (typeof raw === "number") {
      if (!isFinite(raw)) { return fail("wrong_type"); }
      if (raw < 0 || raw > 100) { return fail("out_of_range"); }
      // String() gives the shortest text that round-trips, as Python's repr() does; between
      // 0 and 100 only a tiny value such as 1e-7 comes out with an exponent.
      text = String(raw);
      return text.indexOf("e") >= 0 ? fail("too_many_decimals") : percentText(text);
    }
    if (typeof raw !== "string" || !NUMBER_TEXT.test(raw)) { return fail("wrong_type"); }
    return percentText(raw.replace(",", ".")); // Vietnamese phones type a decimal comma
  }

  /* kind: "yes_no" | "level" | "percent"; naAllowed: whether the criterion allows N/A. */
  function parse(kind, naAllowed, raw) {
    if (typeof raw === "string") {
      raw = raw.replace(SPACE, "");
      if (raw === "") { return ok(null); }
      if (raw === NA) { return naAllowed ? ok(NA) : fail("na_not_allowed"); }
    } else if (raw === null || raw === undefined) {
      return ok(null);
    }
    if (kind === "yes_no") { return yesNo(raw); }
    if (kind === "level") { return level(raw); }
    if (kind === "percent") { return percent(raw); }
    throw new Error("Unknown answer type: " + kind);
  }

  /* A typed answer as the form's controls hold it (Python's as_form_text); mark is the
   * decimal mark the reader types ("," on a Vietnamese page: "97,5"), "." by default. */
  function formText(value, mark) {
    if (value === null || value === undefined) { return ""; }
    if (value === true) { return "yes"; }
    if (value === false) { return "no"; }
    var text = String(value);
    if (!/^[0-9]+\.[0-9]+$/.test(text)) { return text; }
    return text.replace(/\.?0+$/, "").replace(".", mark || ".");
  }

  /* The raw answer of one criterion's form: the N/A box wins (Python's posted()). */
  function fromControls(form) {
    var na = form.querySelector("input[name=na]");
    if (na && na.checked) { return NA; }
    var field = form.querySelector("input[name=value]:checked") ||
      form.querySelector("input[name=value]:not([type=radio])");
    return field ? field.value : "";
  }

  /* messages: { "code:kind": text } as answers.field_messages() renders them. */
  function message(messages, code, kind) {
    return (messages && messages[code + ":" + kind]) || code;
  }

  return { NA: NA, parse: parse, formText: formText, fromControls: fromControls, message: message };
}));
