-- The Word edition, written by the pandoc run that parses the brief (briefpress.pandoc.
-- DraftJob), instead of a second run that would read briefpress's whole AST of the Word
-- file back from JSON.
--
-- Once pandoc has read the Markdown, this filter
--   1. writes the brief's AST to stdout, pandoc's JSON on one line (with the HTML of its
--      parts in the metadata, when lua/brief.lua ran first), for briefpress to read;
--   2. waits on stdin for briefpress's plan of the Word file (briefpress.formats.docx_ast,
--      brief_plan), made from that AST:
--        line 1: a JSON list, one item a block of the Word file, in order:
--                  {"block": [i]}     the AST's block i (0-based)
--                  {"block": [i, j]}  block j of the content of block i (a Div)
--                  {"div": [id, style], "content": i, "key": k}
--                                     a new Div in that custom style, holding the content
--                                     of block i (a Div whose attribute key is k)
--                  {"literal": n}     block n of the document on line 2
--        line 2: a pandoc JSON document: the blocks briefpress made itself (title block,
--                headings, recommendation areas, anything with an image or a link
--                without a target) and the metadata of the Word file;
--   3. returns the document the plan describes, which pandoc writes as a .docx.
--
-- The filter decides nothing: what goes where is briefpress's, in Python, which the
-- importer shares. If the plan does not fit the AST (it always should), the filter fails
-- and briefpress writes the Word file from its own AST in a run of its own.

local function fail(message)
  error("briefpress plan: " .. message, 0)
end

local function block_at(blocks, index)
  local block = blocks[index + 1]
  if block == nil then fail("no block " .. tostring(index)) end
  return block
end

function Pandoc(doc)
  io.stdout:write(pandoc.write(doc, "json"), "\n")
  io.stdout:flush()
  local order = io.stdin:read("l")
  local literals = io.stdin:read("a")
  if order == nil or literals == nil or literals == "" then fail("none was sent") end
  local plan = pandoc.json.decode(order, false)
  local made = pandoc.read(literals, "json")
  local blocks = pandoc.Blocks({})
  for _, item in ipairs(plan) do
    if item.literal ~= nil then
      blocks:insert(block_at(made.blocks, item.literal))
    elseif item.div ~= nil then
      local source = block_at(doc.blocks, item.content)
      if source.t ~= "Div" or source.attributes.key ~= item.key then
        fail("block " .. tostring(item.content) .. " is not the snippet " .. tostring(item.key))
      end
      blocks:insert(pandoc.Div(source.content,
        pandoc.Attr(item.div[1], {}, { { "custom-style", item.div[2] } })))
    elseif item.block ~= nil and #item.block == 1 then
      blocks:insert(block_at(doc.blocks, item.block[1]))
    elseif item.block ~= nil and #item.block == 2 then
      local outer = block_at(doc.blocks, item.block[1])
      if outer.t ~= "Div" then fail("block " .. tostring(item.block[1]) .. " is not a Div") end
      blocks:insert(block_at(outer.content, item.block[2]))
    else
      fail("an item of an unknown kind")
    end
  end
  return pandoc.Pandoc(blocks, made.meta)
end
