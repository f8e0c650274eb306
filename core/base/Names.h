#pragma once

// Names are data, never code. A layer name comes from a file anyone may have written; it is
// checked by one rule wherever a graph is read, edited or created, and every generator that
// embeds it escapes it for its format (docs/file-format.md, "Layer names").

#include <QString>

namespace snn {

// The rule: a layer name is 1 to kMaxNameLength printable characters (Unicode code points; no
// control, format or unassigned characters, so no newline, carriage return or NUL), unique in
// its graph (uniqueness is the graph's to check).
inline constexpr int kMaxNameLength = 64;
extern const QString kNameRule; // "a layer name is 1 to 64 printable characters"

// Why `name` breaks the rule ("the name is empty", "the name has 70 characters",
// "the name contains the control character U+000A"), or an empty string when it keeps it.
QString nameProblem(const QString &name);

// Throws Error("WHERE: WHY (RULE)") when `name` breaks the rule; `where` names the layer
// without quoting the name ("layer 3", the index in its graph or file, or its current name).
void checkLayerName(const QString &name, const QString &where);
// checkLayerName with where = "layer INDEX".
void checkLayerName(const QString &name, int index);

// A name that keeps the rule made from any text (a NIR node key): characters that are not
// printable become '_', the text is cut so that it and `suffix` (printable) fit in
// kMaxNameLength characters; empty text gives "_".
QString nameFromText(const QString &text, const QString &suffix = {});

// For a Verilog (or any C-like) line comment: only letters, digits, space and _ . , : + - = # ( )
// survive, everything else becomes '_'; at most kMaxNameLength characters.
QString commentSafe(const QString &text);

// For a Markdown table cell: ASCII punctuation is backslash-escaped (CommonMark), '|' included,
// and characters that are not printable become U+FFFD.
QString markdownEscaped(const QString &text);

// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; a text that a
// spreadsheet would run as a formula (starting with = @ tab or CR, or + - not followed by a
// digit, so "-25,440 (-11.7%)" stays a number) gets a leading apostrophe.
QString csvField(const QString &text);

} // namespace snn
