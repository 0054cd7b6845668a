-- tests/lsp/nvim_client.lua - a headless Neovim (0.7+) as redislint's LSP
-- client: open FILE, wait for the diagnostics, write their codes to OUT,
-- ask for the code actions on the RL202 line, apply its quick fix, save.
-- The server is told to ignore per-field-keys (RL101).
-- Environment: RL_BIN, RL_FILE, RL_OUT, RL_ROOT.
local bin, file, out, root = os.getenv('RL_BIN'), os.getenv('RL_FILE'), os.getenv('RL_OUT'),
  os.getenv('RL_ROOT')
local lines = {}
local function finish()
  local f = io.open(out, 'w')
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
  vim.cmd('qa!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
-- settings as initializationOptions: what Neovim 0.7 passes (0.8 and later
-- also answer workspace/configuration from `settings`)
local id = vim.lsp.start_client({ name = 'redislint', cmd = { bin, 'server' }, root_dir = root,
  init_options = { redislint = { ignore = { 'per-field-keys' } } } })
vim.lsp.buf_attach_client(buf, id)

-- no fixed time limit of our own: the test runner's is the bound
local got = vim.wait(3600000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not got then
  table.insert(lines, 'no diagnostics')
  return finish()
end
local rl202
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
  table.insert(lines, 'diagnostic ' .. code .. ' ' .. d.lnum)
  if code == 'RL202' then rl202 = d end
end
if rl202 then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = rl202.lnum, character = 0 }, ['end'] = { line = rl202.lnum + 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 3600000)
  for _, r in pairs(res or {}) do
    for _, action in ipairs(r.result or {}) do
      table.insert(lines, 'action ' .. action.kind .. ' ' .. action.title)
      if action.kind == 'quickfix' and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
        vim.cmd('write')
        table.insert(lines, 'applied')
        return finish()
      end
    end
  end
end
finish()
