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
        onUpdate({ editor }) {
            const html = editor.getHTML()
            textarea.value = emptyElement.test(html) ? "" : html
            textarea.dispatchEvent(new Event("input", { bubbles: true }))
        },
    })
}

prose.initializeEditors(createEditor, `[${CONFIG_ATTRIBUTE}]`)
