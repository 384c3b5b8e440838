'use strict';
// The article form's tag field: Django admin's own select2, in "tags" mode, so an editor can pick an
// existing tag or type a new one. A file rather than inline script, for the site's Content-Security-Policy.
{
    const $ = django.jQuery;

    function initTagAutocomplete(element) {
        $(element).select2({
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName
                })
            },
            // A multiple select with few options would otherwise size itself to them and squeeze the chosen tags.
            width: 'min(100%, 32em)',
            tags: true,
            tokenSeparators: [','],
            // select2 offers the typed text first by default, so Enter after "Sah" would create a tag "Sah"
            // instead of choosing "Sahel". Offered last, the typed text is chosen only on purpose.
            insertTag: (data, tag) => {
                data.push(tag);
            }
        });
    }

    $(function() {
        $('select.tag-autocomplete').each((index, element) => initTagAutocomplete(element));
    });
}
