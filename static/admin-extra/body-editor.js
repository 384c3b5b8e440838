// The article body's rich-text editor (django-prose-editor, built on Tiptap and ProseMirror).
//
// The package's own loader finds its modules through an inline import map, which the site's
// Content-Security-Policy refuses, so this file starts the editor instead and imports the package's
// editor.js by its path. The textarea's data attribute, rendered by articles/rich_text.py, says which
// extensions to use; the textarea stays in the form and holds the HTML that is posted.
import * as prose from "../django_prose_editor/editor.js"

const CONFIG_ATTRIBUTE = "data-django-prose-editor-configurable"

// ProseMirror always keeps one paragraph, so an emptied editor would post "<p></p>" rather than nothing.
const emptyElement = /^<(\w+)(\s[^>]*)?><\/\1>$/i

function linkChecker(schemes) {
    // Only the schemes the sanitizer keeps, or a link on this site. The sanitizer decides in the end;
    // this keeps the editor from showing a link that the save would drop.
    return (url) => {
        const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url)
        return scheme ? schemes.includes(scheme[1].toLowerCase()) : /^[/#?]/.test(url.trim())
    }
}

// Pasted HTML from word processors and web pages carries its bold and italic in style attributes. The
// site's Content-Security-Policy keeps the browser from reading those, and reports every one it meets as
// an error, whatever document the HTML is parsed into. So each start tag's style attribute is renamed in
// the text before anything parses it, then read as plain text: bold and italic become <strong> and <em>,
// Google Docs' all-enclosing <b style="font-weight:normal"> is unwrapped, and the styles are dropped. The
// editor keeps only the elements it offers (articles/rich_text.py); the server's sanitizer has the last word.
const startTag = /<[a-z][^\s/>]*(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*\/?>/gi
const styleAttribute = /(\s)style(\s*=)/gi
const PASTED_STYLE = "data-pasted-style"

function cleanPastedHTML(html) {
    const disarmed = html.replace(startTag, (tag) => tag.replace(styleAttribute, `$1${PASTED_STYLE}$2`))
    const pasted = new DOMParser().parseFromString(disarmed, "text/html")
    for (const element of pasted.body.querySelectorAll(`[${PASTED_STYLE}]`)) {
        const style = element.getAttribute(PASTED_STYLE).toLowerCase()
        element.removeAttribute(PASTED_STYLE)
        const weight = /font-weight\s*:\s*([a-z0-9]+)/.exec(style)?.[1]
        const bold = weight !== undefined && (weight.startsWith("bold") || Number(weight) >= 600)
        const tag = element.localName
        if (weight !== undefined && !bold && (tag === "b" || tag === "strong")) {
            element.replaceWith(...element.childNodes)
            continue
        }
        if (bold && tag !== "b" && tag !== "strong") {
            wrapChildren(element, pasted.createElement("strong"))
        }
        if (/font-style\s*:\s*italic/.test(style) && tag !== "i" && tag !== "em") {
            wrapChildren(element, pasted.createElement("em"))
        }
    }
    return pasted.body.innerHTML
}

function wrapChildren(element, wrapper) {
    wrapper.append(...element.childNodes)
    element.append(wrapper)
}

function createEditor(textarea) {
    const config = JSON.parse(textarea.getAttribute(CONFIG_ATTRIBUTE))
    const extensions = Object.entries(config.extensions).map(([name, options]) => {
        const extension = prose[name]
        if (!extension) {
            throw new Error(`The body editor has no extension called ${name}.`)
        }
        if (name === "Link") {
            options = { ...(typeof options === "object" ? options : {}), isAllowedUri: linkChecker(config.linkSchemes) }
        }
        return typeof options === "object" ? extension.configure(options) : extension
    })

    const element = prose.crel("div", { className: "prose-editor" })
    textarea.before(element)
    element.append(textarea)
    return new prose.Editor({
        element,
        extensions,
        content: textarea.value,
        // Tiptap would add its base styles as an inline <style> element, which the CSP refuses;
        // body-editor.css carries them instead.
        injectCSS: false,
        editorProps: { transformPastedHTML: cleanPastedHTML },
        onUpdate({ editor }) {
            const html = editor.getHTML()
            textarea.value = emptyElement.test(html) ? "" : html
            textarea.dispatchEvent(new Event("input", { bubbles: true }))
        },
    })
}

prose.initializeEditors(createEditor, `[${CONFIG_ATTRIBUTE}]`)
