-- End to end in Neovim 0.7 (the version Debian ships), with its built-in client: start
-- `trustcheck lsp` on a constitution, wait for the diagnostics it publishes, ask for a hover on
-- a finding and the code actions there, and write what came back to a file.
local bin, file, out = vim.env.TRUSTCHECK_BIN, vim.env.TRUSTCHECK_FILE, vim.env.TRUSTCHECK_OUT
local lines = {}
local function say(text) table.insert(lines, (text:gsub("\n", " "))) end

local client_id = vim.lsp.start_client({
  name = "trustcheck",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.lsp.buf_attach_client(0, client_id)

local published = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
say("published: " .. tostring(published))
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  table.insert(found, string.format("diagnostic %d:%d %s", d.lnum + 1, d.col + 1, code))
end
table.sort(found)
for _, line in ipairs(found) do say(line) end

-- The finding on `tupe = false`: hover and code actions there.
local row = vim.fn.search("^tupe = false", "n")
local position = { line = row - 1, character = 8 }
local document = { uri = vim.uri_from_bufnr(0) }
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover", { textDocument = document, position = position }, 10000)
for _, response in pairs(hover or {}) do
  local value = response.result and response.result.contents and response.result.contents.value or ""
  say("hover " .. (value:match("^[^\n]*") or ""))
end
local actions = vim.lsp.buf_request_sync(0, "textDocument/codeAction", {
  textDocument = document,
  range = { start = position, ["end"] = position },
  context = { diagnostics = {} },
}, 10000)
for _, response in pairs(actions or {}) do
  for _, action in ipairs(response.result or {}) do say("action " .. action.title) end
end

vim.fn.writefile(lines, out)
vim.lsp.stop_client(client_id)
vim.cmd("qa!")
