-- A filter that adds to a brief's AST the HTML of every part (each heading, each section's
-- own blocks, each Markdown snippet from YAML) in each variant named by the variable
-- briefpress-html (comma-separated): "endnotes" (web) and "inline" (notes inline where they
-- are called, for print footnotes). pandoc's own JSON writer then writes the AST, with each
-- variant's HTML as the metadata string briefpress-html-VARIANT: one pandoc run gives both,
-- and a filter costs less than a Lua writer that writes the JSON itself.
--
-- In each HTML document every part follows a comment <!--briefpress:KEY-->, as
-- briefpress.htmlparts expects: h:ID (heading), b:ID (section body), and the
-- snippet keys (rec:ID, intro, bio:N). A link whose target is not known yet comes out as
-- <a href="">; briefpress.pandoc makes it a span (walking the whole document here to change
-- it would cost more than writing the HTML).

local FRAGMENT = "briefpress-fragment"

local function marker(key)
  return pandoc.RawBlock("html", "<!--briefpress:" .. key .. "-->")
end

-- CSS paged media sets a footnote where its call stands: <span class="footnote">.
local inline_notes = {
  Note = function(note)
    local inlines = pandoc.Inlines({})
    for index, block in ipairs(note.content) do
      if index > 1 then inlines:insert(pandoc.Space()) end
      if block.t == "Para" or block.t == "Plain" then inlines:extend(block.content) end
    end
    return pandoc.Span(inlines, pandoc.Attr("", { "footnote" }))
  end,
}

function Pandoc(doc)
  local parts = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" then
      parts:insert(marker("h:" .. block.identifier))
      parts:insert(pandoc.Plain(block.content))
      parts:insert(marker("b:" .. block.identifier))
    elseif block.t == "Div" and block.classes:includes(FRAGMENT) then
      parts:insert(marker(block.attributes.key))
      parts:extend(block.content)
    else
      parts:insert(block)
    end
  end
  parts:insert(marker("end"))
  local marked = pandoc.Pandoc(parts, pandoc.Meta({}))
  local options = { wrap_text = "wrap-none" }
  local variants = PANDOC_WRITER_OPTIONS.variables["briefpress-html"]
  for variant in tostring(variants or ""):gmatch("[^,]+") do
    local variant_doc = variant == "inline" and marked:walk(inline_notes) or marked
    doc.meta["briefpress-html-" .. variant] = pandoc.write(variant_doc, "html5", options)
  end
  return doc
end
