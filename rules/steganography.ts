import { L } from '../src/analyze/flow.ts'
import { crossFileNote, eventLocation, onFileFlow, placeOf } from '../src/analyze/flow-rules.ts'
import { locate, whenRuns } from '../src/analyze/sinks.ts'
import { defineRule } from '../src/types.ts'

/** Bytes read from image, SVG or font files reach eval / Function / vm: a payload hidden in assets. */
export default defineRule({
  meta: {
    id: 'steganography',
    severity: 'critical',
    description: 'Code hidden in image, SVG or font files is extracted and executed',
    docs: 'rules/steganography.md',
  },
  create(context) {
    return {
      'Program:exit': onFileFlow((flow, file) => {
        for (const event of flow.exec) {
          if (event.family === 'process' || (event.taint & L.ASSET) === 0 || (event.taint & L.DECODED) === 0) continue
          context.report({
            ...placeOf(file, event),
            message: `${event.api}() executes data extracted from image/SVG/font assets: a payload hidden in files that reviewers skip.${crossFileNote(file, event, L.ASSET)}${whenRuns(eventLocation(file, event))}`,
          })
        }
      }),
    }
  },
})
