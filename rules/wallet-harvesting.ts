import { L } from '../src/analyze/flow.ts'
import { onFileFlow, TheftEvidence } from '../src/analyze/flow-rules.ts'
import { classifyPath, walletIdsIn, WALLET_EXTENSION_IDS } from '../src/analyze/sensitive-paths.ts'
import { defineRule } from '../src/types.ts'

/**
 * Reads of crypto-wallet locations: browser-extension storage of wallet extensions (by id),
 * `Local Extension Settings`, Solana / Exodus / Electrum / Atomic / Bitcoin Core files, the macOS
 * keychain. Critical when the content is sent, or when several wallets are swept by a package
 * that also talks to the network.
 */
export default defineRule({
  meta: {
    id: 'wallet-harvesting',
    severity: 'high',
    description: 'Crypto-wallet files, wallet browser extensions or the keychain are read (and sent)',
    docs: 'rules/wallet-harvesting.md',
  },
  create(context) {
    const evidence = new TheftEvidence()
    let fileIds = new Set<string>()
    return {
      Program() {
        fileIds = new Set()
      },
      StringLiteral(node) {
        if (node.value.length >= 32) for (const id of walletIdsIn(node.value.toLowerCase())) fileIds.add(id)
      },
      'Program:exit': onFileFlow((flow, file) => {
        evidence.collect(flow, file, {
          pathLabel: L.P_WALLET,
          contentLabel: L.WALLET,
          targetsOf: (event) => {
            const targets = new Set(classifyPath(event.pathText).filter((x) => x.kind === 'wallet').map((x) => x.target))
            if (targets.has('browser extension storage (wallet vaults)') || /\*/.test(event.pathText)) {
              for (const id of fileIds) targets.add(`${WALLET_EXTENSION_IDS.get(id)} extension`)
            }
            return targets.size > 0 ? [...targets] : ['a wallet location']
          },
        })
      }),
      'Package:exit'() {
        if (evidence.empty) return
        const targets = evidence.targets()
        const list = targets.slice(0, 8).join(', ') + (targets.length > 8 ? `, … (${targets.length} in all)` : '')
        const onlySolana = targets.length > 0 && targets.every((x) => x === 'Solana CLI keypair')
        const unnamed = targets.every((x) => x === 'a wallet location')
        const sent = evidence.sentFinding(`Wallet data (${list || 'wallet files'}) is`)
        if (sent) return evidence.report(context, sent.severity, sent.message, sent.where)
        const several = targets.length > 1 ? `${targets.length} crypto-wallet locations` : 'a crypto-wallet location'
        if (evidence.networkFiles > 0 && !onlySolana && !unnamed) {
          evidence.report(context, 'critical', `Reads ${several} (${list}) in a package that also sends data over the network: a wallet stealer's shape.`)
        } else if (onlySolana) {
          evidence.report(context, 'medium', `Reads the Solana CLI keypair (~/.config/solana/id.json); its bytes were not seen reaching the network (signing tools read it legitimately).`)
        } else {
          evidence.report(context, 'high', `Reads ${several} (${list}); no library needs another program's wallet vault.`)
        }
      },
    }
  },
})
